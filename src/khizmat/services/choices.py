from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    CIVIL_REGISTRY = "civil_registry", _("Civil registry")
    LAND_PROPERTY = "land_property", _("Land and property")
    SOCIAL = "social", _("Social benefits")
    BUSINESS = "business", _("Business registration and permits")
    HOUSING_UTILITIES = "housing_utilities", _("Housing and utilities")
    TRANSPORT = "transport", _("Transport")
    IDENTITY = "identity", _("Identity documents and certificates")
    OTHER = "other", _("Other")


class ServiceChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    BOTH = "both", _("At the counter and online")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_INFO = "needs_info", _("Needs more information")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ISSUED = "issued", _("Issued to the citizen")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(
    {
        ApplicationStatus.RECEIVED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.NEEDS_INFO,
        ApplicationStatus.APPROVED,
    }
)
FINISHED_STATUSES = frozenset(
    {ApplicationStatus.REJECTED, ApplicationStatus.ISSUED, ApplicationStatus.CLOSED}
)


class FeeStatus(models.TextChoices):
    DUE = "due", _("To be paid")
    PAID = "paid", _("Paid")
    EXEMPT = "exempt", _("Exempt")
    FREE = "free", _("No fee")
