"""State changes of the tenancy app. Each function is atomic and records who did it in the audit trail."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import field_rule, normalize_phone
from khizmat.tenancy.choices import CalendarDaySource
from khizmat.tenancy.holiday_data import official_days
from khizmat.tenancy.models import CalendarDay, Country, Membership, Organization, Region, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def user_set_language(*, user: User, language: str) -> User:
    """Remember the user's interface language."""
    if language not in LANGUAGE_CODES:
        raise DomainError(_("This language is not available."), code="unknown_language")
    if user.language != language:
        user.language = language
        user._history_user = user
        user.save(update_fields=["language"])
    return user


def _active_admin_count(organization: Organization) -> int:
    return Membership.objects.for_organization(organization).filter(role=Role.ADMIN, is_active=True).count()


def monitor_coverage_check(
    *, organization: Organization, region: Region | None = None, country: Country | None = None
) -> None:
    """An organization gives its monitors only the coverage it has itself: a region or a country is allowed when
    every active organization there is the organization or one it oversees. Without a region or country a monitor
    sees what the organization oversees. (Platform administrators set any coverage in the Django admin.)"""
    if region is None and country is None:
        return
    if region is not None and country is not None:
        raise DomainError(_("Choose a region or a country, not both."), code="coverage_both")
    area = Organization.objects.filter(is_active=True)
    area = area.filter(region=region) if region is not None else area.filter(country=country)
    own = set(
        Organization.objects.filter(oversight_received__overseer=organization).values_list("pk", flat=True)
    )
    own.add(organization.pk)
    if area.exclude(pk__in=own).exists():
        raise DomainError(
            _("A monitor can watch only the organizations that this organization oversees."),
            code="coverage_too_wide",
        )


def _set_coverage(membership: Membership, coverage: str) -> None:
    """``coverage``: "" (what the organization oversees), "region" or "country" (the organization's own)."""
    organization = membership.organization
    region = organization.region if coverage == "region" else None
    country = organization.country if coverage == "country" else None
    if coverage not in ("", "region", "country") or (coverage == "region" and region is None):
        raise DomainError(_("Choose what the monitor watches."), code="coverage_unknown")
    monitor_coverage_check(organization=organization, region=region, country=country)
    membership.coverage_region = region
    membership.coverage_country = country


@transaction.atomic
def membership_update(
    *, actor: User, membership: Membership, role: str, is_active: bool, coverage: str | None = None
) -> Membership:
    """Change a member's role or deactivate them. The last active administrator cannot be removed. A monitor's
    ``coverage`` ("", "region", "country"; None keeps it) stays within the organization's own."""
    if role not in Role.values:
        raise DomainError(_("Unknown role."), code="unknown_role")
    membership = Membership.objects.select_for_update().get(
        pk=membership.pk, organization=membership.organization
    )
    losing_admin = (
        membership.role == Role.ADMIN and membership.is_active and (role != Role.ADMIN or not is_active)
    )
    if losing_admin and _active_admin_count(membership.organization) <= 1:
        raise DomainError(
            _(
                "An organization needs at least one active administrator. Appoint another administrator first."
            ),
            code="last_admin",
        )
    if role != Role.MONITOR:
        membership.coverage_region = membership.coverage_country = None
    elif coverage is not None:
        _set_coverage(membership, coverage)
    membership.role = role
    membership.is_active = is_active
    membership._history_user = actor
    membership.save(update_fields=["role", "is_active", "coverage_country", "coverage_region"])
    return membership


@transaction.atomic
def membership_create(
    *,
    actor: User,
    organization: Organization,
    username: str,
    first_name: str,
    last_name: str,
    patronymic: str = "",
    phone: str = "",
    role: str,
    password: str,
    language: str = "",
    coverage: str = "",
) -> Membership:
    """Create a staff member's login and their membership in ``organization``. A monitor watches what the
    organization oversees, or (``coverage`` "region"/"country") its region or country when it oversees all of it."""
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This login name is taken. Choose another one."), code="username_taken")
    with field_rule("phone"):
        phone = normalize_phone(phone, country_code=organization.country.code)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        patronymic=patronymic,
        phone=phone,
        language=language if language in LANGUAGE_CODES else "",
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="weak_password") from error
    user.set_password(password)
    user.must_change_password = True  # an administrator chose it: the person chooses their own at first login
    user._history_user = actor
    user.save()
    membership = Membership(organization=organization, user=user, role=role)
    if role == Role.MONITOR:
        _set_coverage(membership, coverage)
    membership._history_user = actor
    membership.save()
    return membership


@transaction.atomic
def user_set_password_by_administrator(*, actor: User, user: User, password: str) -> User:
    """An administrator sets someone else's password (a new login, a forgotten password): it is checked like any
    password, and the user must replace it at their next login. Raises DomainError("weak_password")."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="weak_password", field="password") from error
    user.set_password(password)
    user.must_change_password = user.pk != actor.pk
    user._history_user = actor
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    return user


@transaction.atomic
def membership_set_password(*, actor: User, membership: Membership, password: str) -> User:
    """An organization's administrator gives a staff member who forgot their password a new one.

    The person must replace it at their next login; their sessions and API tokens end with the old password, and
    the failed logins that may have locked their login are forgotten. Only a login that belongs to this
    organization alone is reset here: a person who also works for another organization, and platform staff, are
    reset by a platform administrator. Raises DomainError ("own_password", "password_elsewhere", "weak_password")."""
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.pk == actor.pk:
        raise DomainError(_("Change your own password on the change-password page."), code="own_password")
    with scopes_disabled():  # the request sees its own organization only; this must see every one
        other_organizations = (
            Membership.objects.filter(user=user).exclude(organization_id=membership.organization_id).exists()
        )
    if user.is_staff or user.is_superuser or other_organizations:
        raise DomainError(
            _(
                "This login also works for another organization or for the platform: "
                "ask a platform administrator to set its password."
            ),
            code="password_elsewhere",
        )
    user = user_set_password_by_administrator(actor=actor, user=user, password=password)
    axes_reset(username=user.get_username())
    return user


@transaction.atomic
def user_password_changed(*, user: User) -> User:
    """The user chose their own password (the change-password page): nothing more is asked of them."""
    if user.must_change_password:
        user.must_change_password = False
        user._history_user = user
        user.save(update_fields=["must_change_password"])
    return user


@transaction.atomic
def calendar_load_official_days(*, country: Country, years: list[int]) -> int:
    """Add the country's public holidays and moved working days (a Saturday worked in exchange for a day off) for
    ``years``; days an administrator entered are kept as they are.

    Returns the number of days added or refreshed. Safe to re-run.
    """
    existing = {
        day.date: day
        for day in CalendarDay.objects.filter(country=country, date__year__in=years).select_for_update()
    }
    changed = 0
    for official in official_days(country.code, years):
        day = existing.get(official.date)
        if day is not None and day.source == CalendarDaySource.ADMIN:
            continue
        day = day or CalendarDay(country=country, date=official.date)
        day.kind = official.kind
        day.source = CalendarDaySource.HOLIDAYS_PACKAGE
        day.name = official.names.get("en", "")
        for suffix, name in official.names.items():
            setattr(day, f"name_{suffix}", name)
        day.save()
        changed += 1
    return changed
