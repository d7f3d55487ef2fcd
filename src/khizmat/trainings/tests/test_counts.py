"""Counts by sex, checked against numbers worked out by hand on a small set of events."""

import datetime

import pytest

from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.trainings.choices import EventKind, EventStatus, Sex
from khizmat.trainings.selectors import participant_counts
from khizmat.trainings.tests.factories import EventFactory, ParticipantFactory

F, M = Sex.FEMALE, Sex.MALE


@pytest.fixture
def fixture_events(organizer, center, today):
    """Two trainings of the organizer's project, a seminar of another project, a cancelled training and an event of
    another organizer. (sex, attended, from the center?) per participant."""
    other_project = OrganizationFactory(kind=OrganizationKind.FUNDER_PROJECT, country=organizer.country)
    other_organizer = OrganizationFactory(kind=OrganizationKind.AGENCY, country=organizer.country)
    day = today - datetime.timedelta(days=30)

    def event(organization, **fields):
        start = fields.pop("start_date", day)
        return EventFactory(organization=organization, start_date=start, end_date=start, **fields)

    events = {
        "training 1": event(organizer, funder_project=organizer),
        "training 2": event(
            organizer, funder_project=organizer, start_date=day + datetime.timedelta(days=10)
        ),
        "seminar": event(organizer, funder_project=other_project, kind=EventKind.SEMINAR),
        "cancelled": event(organizer, funder_project=organizer, status=EventStatus.CANCELLED),
        "elsewhere": event(other_organizer, funder_project=organizer),
    }
    people = {
        "training 1": [
            (F, True, True),
            (F, True, False),
            (F, False, True),
            (M, True, True),
            (M, False, False),
        ],
        "training 2": [(F, True, True), (M, True, True), (M, True, False)],
        "seminar": [(F, True, False), (M, False, False)],
        "cancelled": [(F, False, True), (M, False, True)],
        "elsewhere": [(F, True, True)],
    }
    for name, rows in people.items():
        for sex, attended, from_center in rows:
            ParticipantFactory(
                organization=events[name].organization,
                event=events[name],
                sex=sex,
                attended=attended,
                affiliation=center if from_center else None,
                affiliation_name="" if from_center else "Hokimiyat",
            )
    return events


def test_totals_per_event_and_per_organization(organizer, center, fixture_events):
    counts = participant_counts(organization_ids=[organizer.pk])
    # training 1 + training 2 + seminar; the cancelled one and the other organizer's are not counted.
    assert counts.totals.as_dict() == {
        "registered_female": 5,
        "registered_male": 5,
        "registered": 10,
        "attended_female": 4,
        "attended_male": 3,
        "attended": 7,
    }
    by_event = {row.event_id: row.counts for row in counts.events}
    assert set(by_event) == {fixture_events[n].pk for n in ("training 1", "training 2", "seminar")}
    one = by_event[fixture_events["training 1"].pk]
    assert (one.registered_female, one.registered_male, one.attended_female, one.attended_male) == (
        3,
        2,
        2,
        1,
    )
    groups = {group.name: group.counts for group in counts.by_organization}
    assert set(groups) == {center.name, "Hokimiyat"}
    center_counts, hokimiyat = groups[center.name], groups["Hokimiyat"]
    assert (center_counts.registered_female, center_counts.registered_male) == (3, 2)
    assert (center_counts.attended_female, center_counts.attended_male) == (2, 2)
    assert (hokimiyat.registered_female, hokimiyat.registered_male) == (2, 3)
    assert (hokimiyat.attended_female, hokimiyat.attended_male) == (2, 1)
    assert {g.organization_id for g in counts.by_organization} == {center.pk, None}


def test_filters_by_project_kind_and_period(organizer, fixture_events, today):
    project = participant_counts(organization_ids=[organizer.pk], funder_project=organizer)
    assert project.totals.registered == 10 - 2  # without the seminar of the other project
    assert participant_counts(organization_ids=[organizer.pk], kind=EventKind.SEMINAR).totals.registered == 2
    second = fixture_events["training 2"].start_date
    late = participant_counts(organization_ids=[organizer.pk], date_from=second)
    assert [row.event_id for row in late.events] == [fixture_events["training 2"].pk]
    early = participant_counts(organization_ids=[organizer.pk], date_to=second - datetime.timedelta(days=1))
    assert early.totals.registered == 5 + 2
    everyone = participant_counts(funder_project=organizer)  # no organization filter: the active scope's
    assert everyone.totals.registered == 8 + 1  # and the other organizer's event of the project


def test_counts_take_a_fixed_number_of_queries(organizer, fixture_events, django_assert_num_queries):
    with django_assert_num_queries(4):
        participant_counts(organization_ids=[organizer.pk])
