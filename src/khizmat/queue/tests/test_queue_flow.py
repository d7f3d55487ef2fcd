"""Tickets from kiosk or desk, windows calling them in order, and the measured wait and service times."""

import datetime

import pytest
from django.utils import timezone

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.queue import selectors, services
from khizmat.queue.choices import TicketStatus
from khizmat.queue.tests.factories import CounterFactory, ServiceGroupFactory
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.roles import Role


@pytest.fixture
def groups(org_a):
    return ServiceGroupFactory(organization=org_a, letter="A"), ServiceGroupFactory(
        organization=org_a, letter="B"
    )


@pytest.fixture
def window(org_a, groups):
    return CounterFactory(organization=org_a, number=1, group_letters="A")


def test_numbers_count_per_group_and_day(org_a, groups):
    a, b = groups
    first, second = (
        services.ticket_issue(organization=org_a, group=a),
        services.ticket_issue(organization=org_a, group=a),
    )
    other = services.ticket_issue(organization=org_a, group=b)
    assert [first.code, second.code, other.code] == ["A-001", "A-002", "B-001"]


def test_the_longest_waiting_ticket_of_the_windows_groups_is_called(org_a, groups, window, operator_a):
    a, b = groups
    services.ticket_issue(organization=org_a, group=b)
    first = services.ticket_issue(organization=org_a, group=a)
    services.ticket_issue(organization=org_a, group=a)

    called = services.ticket_call_next(actor=operator_a, counter=window)

    assert called.pk == first.pk
    assert called.status == TicketStatus.CALLED
    assert called.counter == window
    assert called.wait_seconds is not None


def test_a_busy_window_cannot_call_again(org_a, groups, window, operator_a):
    services.ticket_issue(organization=org_a, group=groups[0])
    services.ticket_issue(organization=org_a, group=groups[0])
    services.ticket_call_next(actor=operator_a, counter=window)
    with pytest.raises(DomainError) as error:
        services.ticket_call_next(actor=operator_a, counter=window)
    assert error.value.code == "counter_busy"


def test_an_empty_queue_says_so(window, operator_a):
    with pytest.raises(DomainError) as error:
        services.ticket_call_next(actor=operator_a, counter=window)
    assert error.value.code == "queue_empty"


def test_recall_serve_and_finish_measure_times(org_a, groups, window, operator_a):
    services.ticket_issue(organization=org_a, group=groups[0])
    ticket = services.ticket_call_next(actor=operator_a, counter=window)
    ticket = services.ticket_recall(actor=operator_a, ticket=ticket)
    assert ticket.call_count == 2
    ticket = services.ticket_start_service(actor=operator_a, ticket=ticket)
    ticket = services.ticket_finish(actor=operator_a, ticket=ticket)
    assert ticket.status == TicketStatus.SERVED
    assert ticket.service_seconds is not None
    summary = selectors.day_summary(organization=org_a, day=timezone.localdate())
    assert summary["served"] == 1
    assert summary["avg_wait"] is not None


def test_no_show_frees_the_window(org_a, groups, window, operator_a):
    services.ticket_issue(organization=org_a, group=groups[0])
    services.ticket_issue(organization=org_a, group=groups[0])
    ticket = services.ticket_call_next(actor=operator_a, counter=window)
    services.ticket_no_show(actor=operator_a, ticket=ticket)
    assert services.ticket_call_next(actor=operator_a, counter=window).code == "A-002"


def test_illegal_steps_are_refused(org_a, groups, window, operator_a):
    ticket = services.ticket_issue(organization=org_a, group=groups[0])
    for step in (
        services.ticket_recall,
        services.ticket_no_show,
        services.ticket_finish,
        services.ticket_start_service,
    ):
        with pytest.raises(DomainError):
            step(actor=operator_a, ticket=ticket)


def test_transfer_sends_the_citizen_to_that_window_keeping_their_place(
    org_a, groups, window, operator_a, member
):
    a, _b = groups
    second_window = CounterFactory(organization=org_a, number=2, group_letters="B")
    services.ticket_issue(organization=org_a, group=a)
    ticket = services.ticket_call_next(actor=operator_a, counter=window)

    services.ticket_transfer(actor=operator_a, ticket=ticket, to_counter=second_window)

    colleague = member(org_a, Role.OPERATOR)
    again = services.ticket_call_next(actor=colleague, counter=second_window)
    assert again.pk == ticket.pk
    assert again.counter == second_window
    with pytest.raises(DomainError):
        services.ticket_call_next(actor=operator_a, counter=window)


def test_cashiers_and_auditors_cannot_call(org_a, groups, window, member):
    services.ticket_issue(organization=org_a, group=groups[0])
    for role in (Role.CASHIER, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            services.ticket_call_next(actor=member(org_a, role), counter=window)


def test_a_ticket_becomes_an_application(org_a, groups, window, operator_a):
    services.ticket_issue(organization=org_a, group=groups[0])
    ticket = services.ticket_call_next(actor=operator_a, counter=window)
    application = ApplicationFactory(organization=org_a)
    ticket = services.ticket_attach_application(actor=operator_a, ticket=ticket, application=application)
    assert ticket.application == application


def test_yesterdays_tickets_are_not_called(org_a, groups, window, operator_a):
    from khizmat.queue.tests.factories import QueueTicketFactory

    QueueTicketFactory(
        organization=org_a, group=groups[0], day=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError):
        services.ticket_call_next(actor=operator_a, counter=window)


def test_setup_checks_letters_and_numbers(org_a, groups, member):
    manager = member(org_a, Role.MANAGER)
    with pytest.raises(DomainError):
        services.service_group_create(actor=manager, organization=org_a, letter="A", name="Again")
    with pytest.raises(DomainError):
        services.counter_create(actor=manager, organization=org_a, number=5, group_letters="AZ")
    counter = services.counter_create(actor=manager, organization=org_a, number=5, group_letters="BA")
    assert counter.group_letters == "AB"
