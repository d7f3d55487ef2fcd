"""Reads of trainings and events: the lists, who may see participants' personal data, and the sex-disaggregated
counts that monitoring and the funder reports use.

The counts are participations (one person at two trainings counts twice), as donor progress reports count "people
trained per event"; cancelled events count nothing. Every count is one grouped query (``COUNT … FILTER``), whatever
the number of events.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.models import Organization
from khizmat.trainings.choices import EventStatus, Sex
from khizmat.trainings.models import Event, EventMaterial, Participant

PEOPLE_PERMISSION = "trainings.people"


def may_see_people(membership, event: Event) -> bool:
    """Participants' names, positions and phones: only for the organizer's own members whose role holds
    ``trainings.people`` (manager, administrator, auditor) — never for a monitor, whatever its coverage."""
    return bool(
        membership is not None
        and membership.organization_id == event.organization_id
        and membership.has_permission(PEOPLE_PERMISSION)
    )


def event_list(
    *,
    organization_ids: list[int],
    kind: str = "",
    funder_project=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str = "",
) -> QuerySet[Event]:
    """Events of these organizers, newest first; the period keeps events that overlap it."""
    events = Event.objects.filter(organization_id__in=organization_ids)
    if kind:
        events = events.filter(kind=kind)
    if status:
        events = events.filter(status=status)
    if funder_project is not None:
        events = events.filter(funder_project=funder_project)
    if date_from:
        events = events.filter(end_date__gte=date_from)
    if date_to:
        events = events.filter(start_date__lte=date_to)
    return events.select_related("organization", "settlement", "funder_project").order_by(
        "-start_date", "topic"
    )


def funder_projects() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT, is_active=True).order_by("name")


def participant_list(*, event: Event) -> QuerySet[Participant]:
    return Participant.objects.filter(organization=event.organization, event=event).select_related(
        "affiliation"
    )


def material_list(*, event: Event) -> QuerySet[EventMaterial]:
    return EventMaterial.objects.filter(organization=event.organization, event=event).order_by("title", "pk")


# --- Counts by sex ---------------------------------------------------------------------------------------------------


@dataclass
class SexCounts:
    registered_female: int = 0
    registered_male: int = 0
    attended_female: int = 0
    attended_male: int = 0

    @property
    def registered(self) -> int:
        return self.registered_female + self.registered_male

    @property
    def attended(self) -> int:
        return self.attended_female + self.attended_male

    def as_dict(self) -> dict[str, int]:
        return {
            "registered_female": self.registered_female,
            "registered_male": self.registered_male,
            "registered": self.registered,
            "attended_female": self.attended_female,
            "attended_male": self.attended_male,
            "attended": self.attended,
        }


@dataclass
class EventCounts:
    event_id: int
    organization_id: int
    topic: str
    kind: str
    status: str
    start_date: datetime.date
    end_date: datetime.date
    funder_project_id: int | None
    counts: SexCounts


@dataclass
class OrganizationCounts:
    """The participants who came from one organization: ``organization_id`` when it is registered in Khizmat, else
    the name as written (``None`` and an empty name: not stated)."""

    organization_id: int | None
    name: str
    counts: SexCounts


@dataclass
class ParticipantCounts:
    events: list[EventCounts] = field(default_factory=list)
    totals: SexCounts = field(default_factory=SexCounts)
    by_organization: list[OrganizationCounts] = field(default_factory=list)


def _sex_aggregates(prefix: str = "") -> dict:
    def on(**conditions):
        condition = Q(**{f"{prefix}{name}": value for name, value in conditions.items()})
        if prefix:  # joined from the events: the participant's own organization column matches too
            condition &= Q(**{f"{prefix}organization": F("organization")})
        return condition

    return {
        "registered_female": Count(f"{prefix}pk", filter=on(sex=Sex.FEMALE)),
        "registered_male": Count(f"{prefix}pk", filter=on(sex=Sex.MALE)),
        "attended_female": Count(f"{prefix}pk", filter=on(sex=Sex.FEMALE, attended=True)),
        "attended_male": Count(f"{prefix}pk", filter=on(sex=Sex.MALE, attended=True)),
    }


def _counts(row: dict) -> SexCounts:
    return SexCounts(
        registered_female=row["registered_female"],
        registered_male=row["registered_male"],
        attended_female=row["attended_female"],
        attended_male=row["attended_male"],
    )


def counted_events(
    *,
    organization_ids: list[int] | None = None,
    funder_project=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    kind: str | None = None,
) -> QuerySet[Event]:
    """The events the counts cover: not cancelled, of these organizers (``None``: all those of the active scope),
    of this funder project and kind, overlapping the period."""
    events = Event.objects.exclude(status=EventStatus.CANCELLED)
    if organization_ids is not None:
        events = events.filter(organization_id__in=list(organization_ids))
    if funder_project is not None:
        events = events.filter(funder_project=funder_project)
    if kind:
        events = events.filter(kind=kind)
    if date_from:
        events = events.filter(end_date__gte=date_from)
    if date_to:
        events = events.filter(start_date__lte=date_to)
    return events


def participant_counts(
    *,
    organization_ids: list[int] | None = None,
    funder_project=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    kind: str | None = None,
) -> ParticipantCounts:
    """Registered and attended participants by sex: per event, in total, and per organization they came from.

    Three grouped queries. No names, positions or phones leave this function: a monitor's page may show it.
    """
    events = counted_events(
        organization_ids=organization_ids,
        funder_project=funder_project,
        date_from=date_from,
        date_to=date_to,
        kind=kind,
    )
    per_event = (
        events.values(
            "pk",
            "organization_id",
            "topic",
            "kind",
            "status",
            "start_date",
            "end_date",
            "funder_project_id",
        )
        .annotate(**_sex_aggregates("participants__"))
        .order_by("-start_date", "topic", "pk")
    )
    # Participants are filtered by their own organization column too (tenant tables joined by organization).
    organization_filter = {} if organization_ids is None else {"organization_id__in": list(organization_ids)}
    participants = Participant.objects.filter(event__in=events.values("pk"), **organization_filter)
    totals = participants.aggregate(**_sex_aggregates())
    groups = (
        participants.values("affiliation_id", "affiliation_name")
        .annotate(**_sex_aggregates())
        .order_by("affiliation_id", "affiliation_name")
    )
    result = ParticipantCounts(totals=_counts(totals))
    for row in per_event:
        result.events.append(
            EventCounts(
                event_id=row["pk"],
                organization_id=row["organization_id"],
                topic=row["topic"],
                kind=row["kind"],
                status=row["status"],
                start_date=row["start_date"],
                end_date=row["end_date"],
                funder_project_id=row["funder_project_id"],
                counts=_counts(row),
            )
        )
    group_rows = list(groups)
    names = dict(
        Organization.objects.filter(
            pk__in={row["affiliation_id"] for row in group_rows if row["affiliation_id"]}
        ).values_list("pk", "name")
    )
    for row in group_rows:
        result.by_organization.append(
            OrganizationCounts(
                organization_id=row["affiliation_id"],
                name=names.get(row["affiliation_id"], "")
                if row["affiliation_id"]
                else row["affiliation_name"],
                counts=_counts(row),
            )
        )
    result.by_organization.sort(key=lambda group: (-group.counts.registered, group.name))
    return result


def event_counts(*, event: Event) -> SexCounts:
    """One event's counts (its page), cancelled or not."""
    return _counts(
        Participant.objects.filter(organization=event.organization, event=event).aggregate(
            **_sex_aggregates()
        )
    )
