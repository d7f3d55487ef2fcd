from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    UZS = "UZS", _("Uzbek som")
    KGS = "KGS", _("Kyrgyz som")


class DistrictKind(models.TextChoices):
    DISTRICT = "district", _("District")
    CITY = "city", _("City")


class SettlementKind(models.TextChoices):
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    MAHALLA = "mahalla", _("Mahalla")


class OrganizationKind(models.TextChoices):
    SERVICE_CENTER = "service_center", _("Public service center")
    MUNICIPAL_ENTERPRISE = "municipal_enterprise", _("Municipal enterprise")
    HOKIMIYAT = "hokimiyat", _("Hokimiyat")
    AIYL_OKMOTU = "aiyl_okmotu", _("Aiyl okmotu")
    TOWN_GOVERNMENT = "town_government", _("Town government")
    AGENCY = "agency", _("Regional or national agency")
    FUNDER_PROJECT = "funder_project", _("Funder project")


LOCAL_GOVERNMENT_KINDS = frozenset(
    {OrganizationKind.HOKIMIYAT, OrganizationKind.AIYL_OKMOTU, OrganizationKind.TOWN_GOVERNMENT}
)


class OversightKind(models.TextChoices):
    OWNER = "owner", _("Founder and owner")
    BRANCH = "branch", _("Agency branch")
    FUNDING = "funding", _("Funding and monitoring")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (day off)")
    DAY_OFF = "day_off", _("Moved day off")
    WORKING_DAY = "working_day", _("Working day on a weekend")


class CalendarDaySource(models.TextChoices):
    HOLIDAYS_PACKAGE = "holidays", _("Official holiday list")
    ADMIN = "admin", _("Entered by an administrator")
