"""State changes of the tenancy app. Each function is atomic and records who did it in the audit trail."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import field_rule, normalize_phone
from khizmat.tenancy.choices import CalendarDayKind, CalendarDaySource
from khizmat.tenancy.holiday_data import official_days
from khizmat.tenancy.models import CalendarDay, Country, Membership, Organization, User
from khizmat.tenancy.roles import Role

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


@transaction.atomic
def membership_update(*, actor: User, membership: Membership, role: str, is_active: bool) -> Membership:
    """Change a member's role or deactivate them. The last active administrator cannot be removed."""
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
    if role == Role.MONITOR and not (membership.coverage_region_id or membership.coverage_country_id):
        membership.coverage_country_id = membership.organization.country_id
    membership.role = role
    membership.is_active = is_active
    membership._history_user = actor
    membership.save(update_fields=["role", "is_active", "coverage_country"])
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
) -> Membership:
    """Create a staff member's login and their membership in ``organization``."""
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
    user._history_user = actor
    user.save()
    membership = Membership(organization=organization, user=user, role=role)
    if role == Role.MONITOR:
        membership.coverage_country_id = organization.country_id
    membership._history_user = actor
    membership.save()
    return membership


@transaction.atomic
def calendar_load_official_days(*, country: Country, years: list[int]) -> int:
    """Add the country's public holidays for ``years``; days an administrator entered are kept as they are.

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
        day.kind = CalendarDayKind.HOLIDAY
        day.source = CalendarDaySource.HOLIDAYS_PACKAGE
        day.name = official.names.get("en", "")
        for suffix, name in official.names.items():
            setattr(day, f"name_{suffix}", name)
        day.save()
        changed += 1
    return changed
