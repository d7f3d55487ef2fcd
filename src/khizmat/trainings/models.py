"""Trainings, seminars and experience exchanges that funder projects and agencies organize for the staff of pilot
sites, with their participants, attendance and materials.

Every row belongs to the organizer (``organization``): the funder project's own organization (EU/UNDP, SDC/Helvetas),
an agency or a local government. Participants are counted by sex (``selectors.participant_counts``); a monitor reads
the counts over its coverage, never the participants' names or phones (``trainings.people``).

Attendance is one flag per participant, also for events of several days: a person counts as attended when present
on any day of it (donor reports count people trained, not person-days). A participant appears once per event: the
identity is the name (folded across scripts and word order) and the organization they come from.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.core.search import search_key
from khizmat.tenancy.scoping import TenantModel
from khizmat.trainings.choices import EventKind, EventStatus, ImportStatus, ImportTask, Sex


class EventParticipation(TenantModel):
    """An organization taking part in an event. Owned, like the event, by the organizer (``organization``), so the
    row lives beside its event when tables are distributed by organization."""

    event = models.ForeignKey(
        "trainings.Event", on_delete=models.CASCADE, related_name="participations", verbose_name=_("event")
    )
    participant = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("participating organization"),
    )

    class Meta:
        verbose_name = _("participating organization")
        verbose_name_plural = _("participating organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "event", "participant"], name="event_participation_unique"
            ),
        ]


def participant_identity(full_name: str, affiliation_id: int | None, affiliation_name: str) -> str:
    """Who a participant is, for "once per event": the name's cross-script key with its words sorted («Каримова
    Дилноза» = "Dilnoza Karimova"), and the organization they come from (its id, else the folded free text)."""
    name = " ".join(sorted(search_key(full_name).lower().split()))
    where = (
        f"org:{affiliation_id}" if affiliation_id else "text:" + search_key(affiliation_name or "").lower()
    )
    return f"{name}|{where}"[:400]


class Event(TenantModel):
    """A training, seminar or experience exchange held by the organizer (``organization``) on one or more days."""

    topic = models.CharField(_("topic"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices, default=EventKind.TRAINING)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    settlement = models.ForeignKey(
        "tenancy.Settlement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town or village"),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    funder_project = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "funder_project"},
        verbose_name=_("funder project"),
    )
    participating_organizations = models.ManyToManyField(
        "tenancy.Organization",
        through=EventParticipation,
        through_fields=("event", "participant"),
        blank=True,
        related_name="+",
        verbose_name=_("participating organizations"),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    history = HistoricalRecords(m2m_fields=[participating_organizations])

    class Meta:
        verbose_name = _("training or event")
        verbose_name_plural = _("trainings and events")
        ordering = ["-start_date", "topic"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="event_dates_forward"),
        ]
        indexes = [
            models.Index(fields=["organization", "start_date"], name="event_org_start"),
            models.Index(fields=["organization", "funder_project"], name="event_org_funder"),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class Participant(TenantModel):
    """A person registered for an event, with their sex (counts are sex-disaggregated) and attendance."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="participants", verbose_name=_("event")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    affiliation = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
        help_text=_("The organization the participant comes from, when it is registered in Khizmat."),
    )
    affiliation_name = models.CharField(
        _("organization (as written)"),
        max_length=255,
        blank=True,
        help_text=_("For participants from an organization that is not in Khizmat."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    identity_key = models.CharField(_("identity key"), max_length=400, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "event", "identity_key"], name="participant_once_per_event"
            ),
        ]
        indexes = [models.Index(fields=["organization", "event", "sex"], name="participant_org_event_sex")]

    def __str__(self) -> str:
        return self.full_name

    def refresh_identity(self) -> None:
        self.identity_key = participant_identity(self.full_name, self.affiliation_id, self.affiliation_name)

    @property
    def organization_label(self) -> str:
        if self.affiliation_id:
            return str(self.affiliation)
        return self.affiliation_name


def _material_path(material: "EventMaterial", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"trainings/{material.organization_id}/{material.event_id}/{uuid.uuid4().hex}.{extension}"


class EventMaterial(TenantModel):
    """A file of an event (agenda, presentation, handout, photo), checked by its content before it is stored."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="materials", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_material_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        ordering = ["event", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class ParticipantImport(TenantModel):
    """An uploaded participant list of one event: every row checked (dry run), then imported all at once."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="imports", verbose_name=_("event")
    )
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    headers = models.JSONField(_("columns"), default=list, blank=True)
    # Which column holds which field, found by the header names at upload ({"full_name": 0, ...}).
    columns = models.JSONField(_("column of each field"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_count = models.PositiveIntegerField(_("imported"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    preview = models.JSONField(_("first rows"), default=list, blank=True)
    task = models.CharField(_("running"), max_length=10, choices=ImportTask.choices, blank=True)
    task_started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    history = HistoricalRecords(excluded_fields=["content", "preview", "progress"])

    class Meta:
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name
