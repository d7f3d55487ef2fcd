from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training")
    SEMINAR = "seminar", _("Seminar")
    EXCHANGE = "exchange", _("Experience exchange")
    OTHER = "other", _("Other event")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class ImportTask(models.TextChoices):
    CHECK = "check", _("Checking the rows")
    IMPORT = "import", _("Importing the rows")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked")
    IMPORTED = "imported", _("Imported")
