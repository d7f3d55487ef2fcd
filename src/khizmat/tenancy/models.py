"""Places, organizations (tenants), users and their memberships, and the working-day calendar."""

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.core.search import search_keys
from khizmat.tenancy import cache as tenancy_cache
from khizmat.tenancy.choices import (
    LOCAL_GOVERNMENT_KINDS,
    CalendarDayKind,
    CalendarDaySource,
    Currency,
    DistrictKind,
    OrganizationKind,
    OversightKind,
    SettlementKind,
)
from khizmat.tenancy.roles import Role, kind_has_permission, role_has_permission, role_is_read_only
from khizmat.tenancy.scoping import TenantModel
from khizmat.tenancy.sequences import NumberSequence  # noqa: F401  (a model of this app, kept beside next_number)

TRANSLATED_SUFFIXES = ("ky", "uz", "uz_cyrl", "ru", "en")


class SearchableMixin(models.Model):
    """Keeps ``search_key``: the cross-script keys of every translation of the name and its known aliases."""

    aliases = models.TextField(
        _("other spellings"), blank=True, help_text=_("One spelling per line, e.g. an older or Russian name.")
    )
    search_key = models.TextField(editable=False, default="", db_index=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A derived column, recomputed on every save so that admin edits stay searchable.
        self.search_key = search_keys(*self.search_texts())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def search_texts(self) -> list[str]:
        names = [getattr(self, f"name_{suffix}", None) for suffix in TRANSLATED_SUFFIXES]
        return [self.name, *names, *self.aliases.splitlines()]


class Country(models.Model):
    """A country Khizmat runs in: its currency, time zone and weekly days off."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. UZ"))
    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    time_zone = models.CharField(_("time zone"), max_length=64)
    phone_prefix = models.CharField(_("phone prefix"), max_length=5)
    weekend_days = models.CharField(
        _("weekly days off"),
        max_length=20,
        default="5,6",
        validators=[
            RegexValidator(r"^[0-6](,[0-6])*$", _("List weekdays as numbers 0–6 (Monday is 0), e.g. 5,6."))
        ],
        help_text=_("Weekdays as numbers, Monday is 0: 5,6 means Saturday and Sunday."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def weekend(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.weekend_days.split(",") if d != "")


class Region(SearchableMixin):
    """A region (viloyat, oblast)."""

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="regions", verbose_name=_("country")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country__code", "name"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="region_unique_code")]

    def __str__(self) -> str:
        return self.name


class District(SearchableMixin):
    """A district (tuman, raion) or a city of regional significance."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=10)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DistrictKind.choices, default=DistrictKind.DISTRICT
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="district_unique_code")]

    def __str__(self) -> str:
        return self.name


class Settlement(SearchableMixin):
    """A town, village or mahalla."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("district")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SettlementKind.choices)
    name = models.CharField(_("name"), max_length=150)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    households = models.PositiveIntegerField(
        _("households"),
        null=True,
        blank=True,
        help_text=_("From the census: what a utility's coverage is measured by."),
    )

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(SearchableMixin):
    """A tenant: a service center, a municipal enterprise, a local government, an agency or a funder project."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short Latin code used in numbers and logins, e.g. bakhmal"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    overseers = models.ManyToManyField(
        "self",
        through="Oversight",
        through_fields=("overseen", "overseer"),
        symmetrical=False,
        related_name="overseen_organizations",
        verbose_name=_("overseen by"),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # Members' cached membership lists hold the organization (its name, state, country): drop them on any change,
    # now and again after the commit (a request between the two must not cache the old row for long).
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget_cached_tenancy()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget_cached_tenancy()
        return result

    @property
    def is_local_government(self) -> bool:
        return self.kind in LOCAL_GOVERNMENT_KINDS

    @property
    def currency(self) -> str:
        return self.country.currency


def _forget_cached_tenancy() -> None:
    tenancy_cache.forget_all()
    transaction.on_commit(tenancy_cache.forget_all)


class Oversight(models.Model):
    """One organization oversees another: an aiyl okmotu its municipal enterprise, an agency branch its centers."""

    overseer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="oversight_given", verbose_name=_("overseer")
    )
    overseen = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="oversight_received", verbose_name=_("overseen")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OversightKind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("oversight")
        verbose_name_plural = _("oversight")
        constraints = [
            models.UniqueConstraint(fields=["overseer", "overseen"], name="oversight_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(overseer=models.F("overseen")), name="oversight_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.overseer} → {self.overseen}"


class CalendarDay(models.Model):
    """An exception to a country's weekly rhythm: a holiday, a moved day off, or a working weekend day."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="calendar_days", verbose_name=_("country")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=CalendarDaySource.choices, default=CalendarDaySource.ADMIN
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["country", "date"]
        constraints = [models.UniqueConstraint(fields=["country", "date"], name="calendarday_unique_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == CalendarDayKind.WORKING_DAY


class User(AbstractUser):
    """A person who logs in. What they may see comes from their memberships, not from this row."""

    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when an administrator chose the password: the user must choose their own at next login."
        ),
    )
    password_changed_at = models.DateTimeField(
        _("password changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the password was last set. API tokens made before then stop working."),
    )
    two_factor_enrolled_at = models.DateTimeField(
        _("authenticator enrolled"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the user last confirmed an authenticator app; the change is kept in the user's history."
        ),
    )
    search_key = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["password", "last_login", "search_key"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def set_unusable_password(self):
        super().set_unusable_password()
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password) -> bool:
        """Django's check; a hash stored with older parameters is re-hashed, which is not a change of password:
        the date it was set (and the API tokens made under it) stay."""

        def rehash(raw):
            changed_at = self.password_changed_at
            self.set_password(raw)
            self.password_changed_at = changed_at
            self._password = None
            self.save(update_fields=["password"])

        return check_password(raw_password, self.password, rehash)

    @property
    def display_name(self) -> str:
        full = " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)
        return full or self.username

    def save(self, *args, **kwargs):
        self.search_key = search_keys(
            self.first_name,
            self.last_name,
            self.patronymic,
            self.username,
            f"{self.last_name} {self.first_name}",
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) == {"last_login"}:
            # A login is not a change of the person's record: it would flood the audit trail.
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        return super().save(*args, **kwargs)


class Membership(TenantModel):
    """A user's role in one organization. Monitors also carry the region or country they watch."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    coverage_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("monitored country"),
    )
    coverage_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("monitored region"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user"),
        ]
        indexes = [models.Index(fields=["organization", "role"], name="membership_org_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._forget_cached()
        return result

    def _forget_cached(self) -> None:
        """The user's cached membership list (khizmat.tenancy.cache) is stale, now and after the commit."""
        user_id = self.user_id
        tenancy_cache.forget_memberships(user_id)
        transaction.on_commit(lambda: tenancy_cache.forget_memberships(user_id))

    def has_permission(self, permission: str) -> bool:
        return self.is_active and role_has_permission(self.role, permission)

    def may_use(self, permission: str) -> bool:
        """The role has the permission and the organization's kind uses it: what menus and pages show."""
        return self.has_permission(permission) and kind_has_permission(self.organization.kind, permission)

    @property
    def is_read_only(self) -> bool:
        return role_is_read_only(self.role)


class PersonalDataAccess(TenantModel):
    """One look at a record's full personal data (ID number, phone) by a role allowed to see it.

    Append-only and written with one INSERT per view (khizmat.tenancy.privacy.record_access); read by the
    organization's managers on the access-log page and in the API. It names the record by type, id and its
    non-personal label (an application or account number), never by the person's name or numbers.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("user"))
    at = models.DateTimeField(_("when"))
    record_type = models.CharField(_("record type"), max_length=60)
    record_id = models.PositiveBigIntegerField(_("record id"))
    record_label = models.CharField(_("record"), max_length=60, blank=True)
    view = models.CharField(_("view"), max_length=80)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "at"], name="pdaccess_org_at"),
            models.Index(fields=["organization", "record_type", "record_id"], name="pdaccess_org_record"),
            models.Index(fields=["organization", "user", "at"], name="pdaccess_org_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_label or self.record_id}"

    @property
    def record_type_name(self) -> str:
        from django.apps import apps

        try:
            return str(apps.get_model(self.record_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.record_type


class RetentionRun(models.Model):
    """One run of ``khizmat anonymize_personal_data``: when, the cut-off date and how many rows of each table it
    anonymized. The audit record of a set-based job (its UPDATEs bypass django-simple-history)."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    cutoff = models.DateTimeField(_("older than"))
    retention_days = models.PositiveIntegerField(_("retention (days)"))
    counts = models.JSONField(_("rows anonymized per table"), default=dict)

    class Meta:
        verbose_name = _("personal data retention run")
        verbose_name_plural = _("personal data retention runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} · {sum(self.counts.values())}"
