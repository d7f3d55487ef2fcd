from django.db import models
from django.utils.translation import gettext_lazy as _


class EquipmentType(models.TextChoices):
    SERVER = "server", _("Server")
    PC = "pc", _("Personal computer")
    LAPTOP = "laptop", _("Laptop")
    PRINTER = "printer", _("Printer or MFP")
    NETWORK = "network", _("Network or telecom device")
    VIDEO = "video", _("Video surveillance")
    FEEDBACK = "feedback", _("User-feedback device")
    QUEUE = "queue", _("Queue terminal or display")
    VEHICLE = "vehicle", _("Vehicle")
    OTHER = "other", _("Other equipment")


class EquipmentStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    BROKEN = "broken", _("Broken")
    IN_REPAIR = "in_repair", _("In repair")
    WRITTEN_OFF = "written_off", _("Written off")


class EquipmentCurrency(models.TextChoices):
    """Currencies equipment is priced in: donors buy in US dollars or euros, local purchases are in som."""

    USD = "USD", _("US dollar")
    EUR = "EUR", _("Euro")
    UZS = "UZS", _("Uzbek som")
    KGS = "KGS", _("Kyrgyz som")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: check it")
    CHECKED = "checked", _("Checked")
    IMPORTED = "imported", _("Imported")


class ImportTask(models.TextChoices):
    CHECK = "check", _("Checking the rows")
    IMPORT = "import", _("Importing the rows")
