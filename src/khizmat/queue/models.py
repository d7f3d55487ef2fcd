"""The counter queue: service groups (A, B, C…), counters (windows), numbered tickets, and the screens' links."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.queue.choices import TicketStatus
from khizmat.tenancy.scoping import TenantModel


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class ServiceGroup(TenantModel):
    """A line of the queue with its letter: tickets of group A are A-001, A-002…"""

    letter = models.CharField(
        _("letter"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital Latin letter, A to Z."))],
    )
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")
        ordering = ["letter"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "letter"], name="servicegroup_unique_letter")
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.name}"


class Counter(TenantModel):
    """A window where an operator serves citizens, calling tickets of the groups it serves."""

    number = models.PositiveSmallIntegerField(_("window number"))
    group_letters = models.CharField(
        _("groups served"),
        max_length=26,
        validators=[RegexValidator(r"^[A-Z]+$", _("Capital letters of the groups, e.g. AB."))],
        help_text=_("Letters of the groups this window calls, e.g. AB."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="counter_unique_number")
        ]

    def __str__(self) -> str:
        return str(_("Window %(number)s") % {"number": self.number})


class QueueTicket(TenantModel):
    """A numbered ticket of one day, with the times that measure waiting and service."""

    group = models.ForeignKey(
        ServiceGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("group")
    )
    day = models.DateField(_("day"))
    sequence = models.PositiveIntegerField(_("sequence"))
    code = models.CharField(_("ticket"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("issued"))
    waiting_since = models.DateTimeField(_("waiting since"))
    called_at = models.DateTimeField(_("first called"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("last called"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("calls"), default=0)
    serving_started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("counter")
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    application = models.ForeignKey(
        "services.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["day", "waiting_since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day", "group", "sequence"], name="ticket_unique_number"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "day", "status", "waiting_since"], name="ticket_org_day_status"
            ),
            models.Index(fields=["organization", "counter", "status"], name="ticket_org_counter_status"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def wait_seconds(self) -> int | None:
        if self.called_at is None:
            return None
        return int((self.called_at - self.issued_at).total_seconds())

    @property
    def wait_minutes(self) -> int | None:
        seconds = self.wait_seconds
        return None if seconds is None else round(seconds / 60)

    @property
    def service_seconds(self) -> int | None:
        if self.serving_started_at is None or self.finished_at is None:
            return None
        return int((self.finished_at - self.serving_started_at).total_seconds())


class QueueScreen(TenantModel):
    """A kiosk or display-board device: its secret link opens the page without a login."""

    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Ticket kiosk")
        BOARD = "board", _("Display board")
        TABLET = "tablet", _("Rating tablet at a window")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
        help_text=_("Rating tablets: the window whose citizens rate on it."),
    )
    token = models.CharField(_("secret link"), max_length=64, default=_new_token, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="uz")
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("queue screen")
        verbose_name_plural = _("queue screens")
        constraints = [
            models.UniqueConstraint(fields=["organization", "token"], name="queuescreen_unique_token")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"
