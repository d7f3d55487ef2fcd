from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubscriberKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    BUSINESS = "business", _("Business")
    INSTITUTION = "institution", _("Institution")


class SubscriberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class BillingService(models.TextChoices):
    WASTE_COLLECTION = "waste", _("Solid waste collection")
    STREET_CLEANING = "cleaning", _("Street cleaning and greening")
    WATER_SUPPLY = "water", _("Drinking water supply")


class TariffUnit(models.TextChoices):
    PERSON = "person", _("per resident")
    HOUSEHOLD = "household", pgettext_lazy("tariff unit", "per account")
    CUBIC_METRE = "m3", _("per cubic metre")
    CONTAINER = "container", _("per container")
    SQUARE_METRE = "m2", _("per square metre")


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("billing period", "Open")
    CLOSED = "closed", pgettext_lazy("billing period", "Closed")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DRAFT = "draft", _("Draft: waiting for approval")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Replaced by a later run")
    FAILED = "failed", _("Failed")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash at the desk")
    BANK = "bank", _("Bank transfer")
    TERMINAL = "terminal", _("Payment terminal")


class EntryKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Payment reversal")
    ADJUSTMENT = "adjustment", _("Adjustment")


class StatementImportStatus(models.TextChoices):
    READING = "reading", _("Being read")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused")


class StatementStatus(models.TextChoices):
    REVIEW = "review", _("Waiting for review")
    POSTED = "posted", _("Posted")


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    UNMATCHED = "unmatched", _("Not matched")
    IGNORED = "ignored", _("Ignored")
    POSTED = "posted", _("Posted")
    DUPLICATE = "duplicate", _("Already posted")


class ImportTask(models.TextChoices):
    CHECK = "check", _("Checking the rows")
    IMPORT = "import", _("Importing the rows")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: map the columns")
    CHECKED = "checked", _("Checked")
    IMPORTED = "imported", _("Imported")
