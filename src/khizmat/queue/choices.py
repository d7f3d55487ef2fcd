from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_AT_COUNTER = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})
FINISHED = frozenset({TicketStatus.SERVED, TicketStatus.NO_SHOW, TicketStatus.CANCELLED})
