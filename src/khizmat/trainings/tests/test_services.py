"""The rules of events and participants, kept by the services whatever the writer (page, API, import)."""

import datetime

import pytest

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.tenancy.roles import Role
from khizmat.trainings import services
from khizmat.trainings.choices import EventKind, EventStatus, Sex
from khizmat.trainings.models import Event, Participant
from khizmat.trainings.tests.factories import ParticipantFactory


def _create(manager, organizer, start, end, **fields):
    return services.event_create(
        actor=manager, organization=organizer, topic="Training", start_date=start, end_date=end, **fields
    )


def test_it_refuses_an_event_that_ends_before_it_starts(manager, organizer, today):
    with pytest.raises(DomainError) as refused:
        _create(manager, organizer, today, today - datetime.timedelta(days=1))
    assert refused.value.field == "end_date"
    assert not Event.objects.exists()
    event = _create(manager, organizer, today, today, kind=EventKind.EXCHANGE)
    assert event.days == 1


def test_an_event_is_held_only_from_its_first_day(manager, organizer, today):
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        _create(manager, organizer, tomorrow, tomorrow, status=EventStatus.HELD)
    assert refused.value.code == "event_not_started"
    assert _create(manager, organizer, today, tomorrow, status=EventStatus.HELD).status == EventStatus.HELD


def test_the_funder_must_be_a_funder_project(manager, organizer, center, today):
    with pytest.raises(DomainError) as refused:
        _create(manager, organizer, today, today, funder_project=center)
    assert refused.value.code == "not_funder_project"


def test_only_managers_of_the_organizer_write(member, organizer, center, today):
    for user in (
        member(organizer, Role.AUDITOR),
        member(organizer, Role.MONITOR),
        member(center, Role.MANAGER),
    ):
        with pytest.raises(PermissionDenied):
            _create(user, organizer, today, today)


def test_a_cancelled_event_takes_no_attendance_and_no_participants(manager, event):
    participant = services.participant_add(actor=manager, event=event, full_name="Aliyev Botir", sex=Sex.MALE)
    services.event_update(actor=manager, event=event, status=EventStatus.CANCELLED)
    with pytest.raises(DomainError) as refused:
        services.participant_set_attendance(actor=manager, participant=participant, attended=True)
    assert refused.value.code == "event_cancelled"
    with pytest.raises(DomainError):
        services.participant_add(actor=manager, event=event, full_name="Karimova Dilnoza", sex=Sex.FEMALE)
    participant.refresh_from_db()
    assert participant.attended is False


def test_an_event_with_attendance_cannot_be_cancelled(manager, event):
    participant = services.participant_add(actor=manager, event=event, full_name="Aliyev Botir", sex=Sex.MALE)
    services.participant_set_attendance(actor=manager, participant=participant, attended=True)
    with pytest.raises(DomainError) as refused:
        services.event_update(actor=manager, event=event, status=EventStatus.CANCELLED)
    assert refused.value.code == "event_has_attendance"
    assert Event.objects.get(pk=event.pk).status == EventStatus.HELD


def test_attendance_starts_on_the_first_day(manager, organizer, today):
    event = _create(
        manager, organizer, today + datetime.timedelta(days=5), today + datetime.timedelta(days=6)
    )
    with pytest.raises(DomainError) as refused:
        services.participant_add(
            actor=manager, event=event, full_name="Aliyev Botir", sex=Sex.MALE, attended=True
        )
    assert refused.value.code == "event_not_started"
    registered = services.participant_add(actor=manager, event=event, full_name="Aliyev Botir", sex=Sex.MALE)
    assert registered.attended is False


def test_a_participant_appears_once_per_event_whatever_the_script_and_order(manager, event, center):
    services.participant_add(
        actor=manager, event=event, full_name="Karimova Dilnoza", sex=Sex.FEMALE, affiliation=center
    )
    for name in ("Dilnoza  Karimova", "Каримова Дилноза"):
        with pytest.raises(DomainError) as refused:
            services.participant_add(
                actor=manager, event=event, full_name=name, sex=Sex.FEMALE, affiliation=center
            )
        assert refused.value.code == "duplicate_participant"
    # The same name from another organization is another person.
    other = services.participant_add(
        actor=manager, event=event, full_name="Karimova Dilnoza", sex=Sex.FEMALE, affiliation_name="Hokimiyat"
    )
    assert Participant.objects.filter(event=event).count() == 2
    with pytest.raises(DomainError):
        services.participant_update(actor=manager, participant=other, affiliation=center, affiliation_name="")


def test_sex_is_required_and_the_phone_is_stored_in_e164(manager, event):
    with pytest.raises(DomainError) as refused:
        services.participant_add(actor=manager, event=event, full_name="Aliyev Botir", sex="")
    assert refused.value.field == "sex"
    with pytest.raises(DomainError) as refused:
        services.participant_add(
            actor=manager, event=event, full_name="Aliyev Botir", sex=Sex.MALE, phone="12"
        )
    assert refused.value.field == "phone"
    participant = services.participant_add(
        actor=manager, event=event, full_name="Aliyev Botir", sex=Sex.MALE, phone="90 123 45 63"
    )
    assert participant.phone == "+998901234563"


def test_changes_are_audited_with_their_author(manager, event):
    participant = services.participant_add(actor=manager, event=event, full_name="Aliyev Botir", sex=Sex.MALE)
    services.participant_set_attendance(actor=manager, participant=participant, attended=True)
    history = list(participant.history.order_by("history_date"))
    assert [h.attended for h in history] == [False, True]
    assert {h.history_user_id for h in history} == {manager.pk}
    services.event_update(actor=manager, event=event, venue="Hall 2")
    assert event.history.latest().history_user_id == manager.pk


def test_an_event_with_participants_is_not_deleted(manager, event):
    ParticipantFactory(organization=event.organization, event=event)
    with pytest.raises(DomainError) as refused:
        services.event_delete(actor=manager, event=event)
    assert refused.value.code == "event_not_empty"
