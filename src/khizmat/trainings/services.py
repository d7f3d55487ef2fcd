"""Functions that change trainings and events. Each runs in a transaction, checks that the actor may manage the
organizer's events (``trainings.manage``) and is audited (``_history_user``).

Rules (tested in ``tests/test_services.py``):
- an event ends on or after its first day; dates are plausible (``core.fieldrules.check_date``);
- an event is "held" only from its first day on; the funder project is an organization of that kind;
- a cancelled event takes no participants and no attendance, and an event with recorded attendance cannot be
  cancelled (unmark the attendance first: it was recorded by mistake, or the event was held);
- attendance is recorded from the event's first day on (a flag per participant, whatever the number of days);
- a participant appears once per event: same name (in any script and word order) and same organization;
- the participant's phone is normalized to E.164 in the organizer's country (``core.fieldrules.normalize_phone``).
"""

import datetime
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import check_date, field_rule, normalize_phone
from khizmat.core.uploads import check_document, removes_files_on_failure, stored_files_cleanup
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import Organization
from khizmat.tenancy.permissions import require_permission
from khizmat.trainings.choices import EventKind, EventStatus, Sex
from khizmat.trainings.models import Event, EventMaterial, Participant, participant_identity

PERMISSION = "trainings.manage"
MATERIAL_MAX_BYTES = 25 * 1024 * 1024
EVENT_FIELDS = (
    "topic",
    "kind",
    "start_date",
    "end_date",
    "settlement",
    "venue",
    "funder_project",
    "description",
    "status",
)
PARTICIPANT_FIELDS = ("full_name", "sex", "affiliation", "affiliation_name", "position", "phone", "attended")


def _clean_text(value) -> str:
    return " ".join(str(value or "").split())


# --- Events ----------------------------------------------------------------------------------------------------------


def _check_event(event: Event, *, attended: bool) -> None:
    """The event's own fields, before it is saved; ``attended``: it has participants marked as present."""
    event.topic = _clean_text(event.topic)
    event.venue = _clean_text(event.venue)
    if not event.topic:
        raise DomainError(_("Write the topic of the event."), code="event_topic", field="topic")
    if event.kind not in EventKind.values:
        raise DomainError(_("Choose the kind of event."), code="event_kind", field="kind")
    if event.status not in EventStatus.values:
        raise DomainError(_("Choose the status of the event."), code="event_status", field="status")
    for name in ("start_date", "end_date"):
        if getattr(event, name) is None:
            raise DomainError(_("Enter the first and the last day."), code="event_dates", field=name)
        with field_rule(name):
            setattr(event, name, check_date(getattr(event, name)))
    if event.end_date < event.start_date:
        raise DomainError(
            _("The event cannot end before its first day."), code="event_dates", field="end_date"
        )
    if event.funder_project_id and event.funder_project.kind != OrganizationKind.FUNDER_PROJECT:
        raise DomainError(
            _("Choose a funder project as the funder."), code="not_funder_project", field="funder_project"
        )
    started = event.start_date <= local_today(event.organization)
    if event.status == EventStatus.HELD and not started:
        raise DomainError(
            _("An event is held from its first day on: keep it planned until then."),
            code="event_not_started",
            field="status",
        )
    if attended and event.status == EventStatus.CANCELLED:
        raise DomainError(
            _("Participants are marked as present: unmark them before cancelling the event."),
            code="event_has_attendance",
        )
    if attended and not started:
        raise DomainError(
            _("Participants are marked as present: the first day cannot move into the future."),
            code="event_has_attendance",
            field="start_date",
        )


def _set_participating(event: Event, organizations: Iterable | None) -> None:
    if organizations is None:
        return
    wanted = {getattr(o, "pk", o) for o in organizations}
    active = set(Organization.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    if wanted - active:
        raise DomainError(
            _("Choose active organizations as participants."),
            code="participating_unknown",
            field="participating_organizations",
        )
    if set(event.participating_organizations.values_list("pk", flat=True)) != active:
        event.participating_organizations.set(
            sorted(active), through_defaults={"organization_id": event.organization_id}
        )


@transaction.atomic
def event_create(
    *,
    actor,
    organization,
    topic: str,
    start_date: datetime.date,
    end_date: datetime.date,
    kind: str = EventKind.TRAINING,
    settlement=None,
    venue: str = "",
    funder_project=None,
    participating_organizations: Iterable = (),
    description: str = "",
    status: str = EventStatus.PLANNED,
) -> Event:
    """A new event organized by ``organization``."""
    require_permission(actor, organization, PERMISSION)
    event = Event(
        organization=organization,
        topic=topic,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        settlement=settlement,
        venue=venue,
        funder_project=funder_project,
        description=description or "",
        status=status or EventStatus.PLANNED,
    )
    _check_event(event, attended=False)
    event._history_user = actor
    event.save()
    _set_participating(event, participating_organizations)
    return event


@transaction.atomic
def event_update(
    *, actor, event: Event, participating_organizations: Iterable | None = None, **changes
) -> Event:
    """Change the given fields of an event (any of ``EVENT_FIELDS``) and, when given, its participating
    organizations. Refused when the change contradicts the attendance already recorded."""
    require_permission(actor, event.organization, PERMISSION)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not event fields: {sorted(unknown)}")
    locked = Event.objects.select_for_update().get(pk=event.pk, organization=event.organization)
    for name, value in changes.items():
        setattr(locked, name, "" if value is None and name in ("venue", "description") else value)
    attended = Participant.objects.filter(
        organization=locked.organization, event=locked, attended=True
    ).exists()
    _check_event(locked, attended=attended)
    if changes:
        locked._history_user = actor
        locked.save(update_fields=sorted({*changes, "topic", "venue"}))
    _set_participating(locked, participating_organizations)
    return locked


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    """Delete an event entered by mistake: only while it has no participants, materials or imports (a held or
    called-off event is kept, with its status)."""
    require_permission(actor, event.organization, PERMISSION)
    locked = Event.objects.select_for_update().get(pk=event.pk, organization=event.organization)
    organization = locked.organization
    if (
        Participant.objects.filter(organization=organization, event=locked).exists()
        or EventMaterial.objects.filter(organization=organization, event=locked).exists()
        or locked.imports.filter(organization=organization).exists()
    ):
        raise DomainError(
            _("The event has participants, materials or imports: set its status to cancelled instead."),
            code="event_not_empty",
        )
    locked._history_user = actor
    locked.participating_organizations.clear()
    locked.delete()


# --- Participants ----------------------------------------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    return (
        Event.objects.select_for_update()
        .select_related("organization", "organization__country")
        .get(pk=event.pk, organization=event.organization)
    )


def _check_attendance(event: Event, attended: bool) -> None:
    if not attended:
        return
    if event.status == EventStatus.CANCELLED:
        raise DomainError(
            _("The event is cancelled: it takes no attendance."), code="event_cancelled", field="attended"
        )
    if event.start_date > local_today(event.organization):
        raise DomainError(
            _("Attendance is recorded from the event's first day on."),
            code="event_not_started",
            field="attended",
        )


def check_participant(event: Event, participant: Participant) -> None:
    """The participant's fields, normalized in place (the web form, the API and the import share this)."""
    participant.full_name = _clean_text(participant.full_name)
    participant.position = _clean_text(participant.position)
    participant.affiliation_name = _clean_text(participant.affiliation_name)
    if not participant.full_name:
        raise DomainError(_("Write the participant's full name."), code="participant_name", field="full_name")
    if participant.sex not in Sex.values:
        raise DomainError(
            _("Choose the participant's sex: the counts are kept for women and men."),
            code="participant_sex",
            field="sex",
        )
    if participant.affiliation_id:
        if not participant.affiliation.is_active:
            raise DomainError(
                _("Choose an active organization."), code="participating_unknown", field="affiliation"
            )
        participant.affiliation_name = ""
    with field_rule("phone"):
        participant.phone = normalize_phone(participant.phone, country_code=event.organization.country.code)
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("The event is cancelled: it takes no participants."), code="event_cancelled")
    _check_attendance(event, participant.attended)
    participant.refresh_identity()


def _duplicate(event: Event, participant: Participant) -> DomainError:
    return DomainError(
        _("%(name)s is already registered for this event (same name and organization).")
        % {"name": participant.full_name},
        code="duplicate_participant",
        field="full_name",
    )


def _save_participant(event: Event, participant: Participant, actor, update_fields=None) -> Participant:
    taken = (
        Participant.objects.filter(
            organization=event.organization, event=event, identity_key=participant.identity_key
        )
        .exclude(pk=participant.pk)
        .exists()
    )
    if taken:
        raise _duplicate(event, participant)
    participant._history_user = actor
    try:
        with transaction.atomic():
            participant.save(update_fields=update_fields)
    except IntegrityError as error:
        raise _duplicate(event, participant) from error
    return participant


@transaction.atomic
def participant_add(
    *,
    actor,
    event: Event,
    full_name: str,
    sex: str,
    affiliation=None,
    affiliation_name: str = "",
    position: str = "",
    phone: str = "",
    attended: bool = False,
) -> Participant:
    """Register a participant for an event (organized by the actor's organization)."""
    require_permission(actor, event.organization, PERMISSION)
    event = _lock_event(event)
    participant = Participant(
        organization=event.organization,
        event=event,
        full_name=full_name,
        sex=sex or "",
        affiliation=affiliation,
        affiliation_name=affiliation_name or "",
        position=position or "",
        phone=phone or "",
        attended=bool(attended),
    )
    check_participant(event, participant)
    return _save_participant(event, participant, actor)


@transaction.atomic
def participant_update(*, actor, participant: Participant, **changes) -> Participant:
    """Change the given fields of a participant (any of ``PARTICIPANT_FIELDS``)."""
    require_permission(actor, participant.organization, PERMISSION)
    unknown = set(changes) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ValueError(f"not participant fields: {sorted(unknown)}")
    event = _lock_event(participant.event)
    locked = Participant.objects.select_for_update().get(pk=participant.pk, organization=event.organization)
    for name, value in changes.items():
        if value is None and name in ("affiliation_name", "position", "phone"):
            value = ""
        setattr(locked, name, value)
    check_participant(event, locked)
    fields = [*{*changes, "identity_key", "affiliation_name", "phone", "full_name", "position"}]
    return _save_participant(event, locked, actor, update_fields=sorted(fields))


@transaction.atomic
def participant_set_attendance(*, actor, participant: Participant, attended: bool) -> Participant:
    """Mark a participant present or absent (the htmx toggle on the event page, the API's ``attendance``)."""
    require_permission(actor, participant.organization, PERMISSION)
    event = _lock_event(participant.event)
    locked = Participant.objects.select_for_update().get(pk=participant.pk, organization=event.organization)
    _check_attendance(event, bool(attended))
    if locked.attended != bool(attended):
        locked.attended = bool(attended)
        locked._history_user = actor
        locked.save(update_fields=["attended"])
    return locked


@transaction.atomic
def participant_remove(*, actor, participant: Participant) -> None:
    require_permission(actor, participant.organization, PERMISSION)
    locked = Participant.objects.select_for_update().get(
        pk=participant.pk, organization=participant.organization
    )
    locked._history_user = actor
    locked.delete()


def participants_create_many(*, actor, event: Event, participants: list[Participant]) -> int:
    """Insert checked participants of one event at once, with their history (the import's commit; the caller holds
    the transaction and the event's lock, and has checked every row)."""
    for participant in participants:
        participant.identity_key = participant.identity_key or participant_identity(
            participant.full_name, participant.affiliation_id, participant.affiliation_name
        )
    try:
        with transaction.atomic():
            bulk_create_with_history(participants, Participant, batch_size=500, default_user=actor)
    except IntegrityError as error:
        raise DomainError(
            _("A participant of the file was registered meanwhile. Check the file again."),
            code="duplicate_participant",
        ) from error
    return len(participants)


# --- Materials -------------------------------------------------------------------------------------------------------


@removes_files_on_failure
@transaction.atomic
def material_add(*, actor, event: Event, title: str, upload) -> EventMaterial:
    """Store a file of an event: PDF, Word, PowerPoint, Excel, JPEG or PNG, at most 25 MB, typed by its content
    (``core.uploads.check_document``); pictures are re-encoded without their metadata. A failed write leaves no
    file behind."""
    require_permission(actor, event.organization, PERMISSION)
    title = _clean_text(title)
    if not title:
        raise DomainError(_("Give the material a title."), code="material_title", field="title")
    if upload is None:
        raise DomainError(_("Choose the file."), code="material_file", field="file")
    name = str(getattr(upload, "name", "") or "material").replace("\\", "/").rsplit("/", 1)[-1][:255]
    checked = check_document(upload, max_bytes=MATERIAL_MAX_BYTES, name=name)
    material = EventMaterial(
        organization=event.organization,
        event=event,
        title=title[:200],
        original_name=name,
        content_type=checked.content_type,
        size=len(checked.content),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    with stored_files_cleanup() as saved:
        material.file.save(f"material.{checked.extension}", ContentFile(checked.content), save=False)
        saved.append(material.file)
        material._history_user = actor
        material.save()
    return material


@transaction.atomic
def material_remove(*, actor, material: EventMaterial) -> None:
    require_permission(actor, material.organization, PERMISSION)
    material._history_user = actor
    stored = material.file.name
    storage = material.file.storage
    material.delete()
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)
