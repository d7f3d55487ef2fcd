"""Queue operations: issue, call, re-call, no-show, serve, finish, transfer, and a ticket becoming an application.

Each operation locks the ticket row, checks its status and records who did it (simple-history).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.monitoring.services import kpi_touch
from khizmat.queue.choices import ACTIVE_AT_COUNTER, TicketStatus
from khizmat.queue.kpis import SOURCE as KPI_SOURCE
from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup
from khizmat.services.models import Application
from khizmat.tenancy.localtime import local_date, local_today
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.permissions import require_permission
from khizmat.tenancy.sequences import next_number


@transaction.atomic
def ticket_issue(*, organization: Organization, group: ServiceGroup) -> QueueTicket:
    """A new ticket of today for ``group`` (kiosk or desk). Numbers restart every day per group."""
    if group.organization_id != organization.pk or not group.is_active:
        raise DomainError(_("This queue is closed."), code="group_closed")
    now = timezone.now()
    day = local_date(now, organization)  # numbers restart at the organization's midnight
    sequence = next_number(organization=organization, key=f"ticket:{day:%Y-%m-%d}:{group.letter}")
    kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[day])
    return QueueTicket.objects.create(
        organization=organization,
        group=group,
        day=day,
        sequence=sequence,
        code=f"{group.letter}-{sequence:03d}",
        issued_at=now,
        waiting_since=now,
    )


def _touch(ticket: QueueTicket, *moments) -> None:
    """Mark the local days of these moments (the ticket's call, start or end) for the queue's KPIs."""
    kpi_touch(
        organization_id=ticket.organization_id,
        source=KPI_SOURCE,
        days=[local_date(moment, ticket.organization) for moment in moments if moment is not None],
    )


def _lock(ticket: QueueTicket) -> QueueTicket:
    return QueueTicket.objects.select_for_update().get(pk=ticket.pk, organization=ticket.organization_id)


def _current_at(counter: Counter) -> QueueTicket | None:
    return (
        QueueTicket.objects.filter(
            organization=counter.organization_id, counter=counter, status__in=ACTIVE_AT_COUNTER
        )
        .order_by("last_called_at")
        .first()
    )


def ticket_current(*, counter: Counter) -> QueueTicket | None:
    return _current_at(counter)


@transaction.atomic
def ticket_call_next(*, actor: User, counter: Counter) -> QueueTicket:
    """Call the longest-waiting ticket of the groups this window serves (or one transferred to it)."""
    require_permission(actor, counter.organization, "queue.operate")
    counter = Counter.objects.select_for_update().get(pk=counter.pk, organization=counter.organization_id)
    if _current_at(counter) is not None:
        raise DomainError(_("Finish the current ticket first (served or did not come)."), code="counter_busy")
    today = local_today(counter.organization)
    candidates = (
        QueueTicket.objects.filter(
            organization=counter.organization_id, day=today, status=TicketStatus.WAITING
        )
        .filter(Q(counter=counter) | Q(counter__isnull=True, group__letter__in=list(counter.group_letters)))
        .order_by("waiting_since", "pk")
    )
    ticket = candidates.select_for_update(skip_locked=True).first()
    if ticket is None:
        raise DomainError(_("Nobody is waiting for this window."), code="queue_empty")
    now = timezone.now()
    ticket.status = TicketStatus.CALLED
    ticket.counter = counter
    ticket.operator = actor
    ticket.called_at = ticket.called_at or now
    ticket.last_called_at = now
    ticket.call_count += 1
    ticket._history_user = actor
    ticket.save(update_fields=["status", "counter", "operator", "called_at", "last_called_at", "call_count"])
    _touch(ticket, ticket.called_at)
    return ticket


def _require_at_counter(ticket: QueueTicket, actor: User, statuses) -> QueueTicket:
    require_permission(actor, ticket.organization, "queue.operate")
    ticket = _lock(ticket)
    if ticket.status not in statuses:
        raise DomainError(
            _("Ticket %(code)s is “%(status)s”: this step is not possible now.")
            % {"code": ticket.code, "status": ticket.get_status_display()},
            code="illegal_ticket_step",
        )
    return ticket


@transaction.atomic
def ticket_recall(*, actor: User, ticket: QueueTicket) -> QueueTicket:
    ticket = _require_at_counter(ticket, actor, {TicketStatus.CALLED})
    ticket.last_called_at = timezone.now()
    ticket.call_count += 1
    ticket._history_user = actor
    ticket.save(update_fields=["last_called_at", "call_count"])
    return ticket


@transaction.atomic
def ticket_no_show(*, actor: User, ticket: QueueTicket) -> QueueTicket:
    ticket = _require_at_counter(ticket, actor, {TicketStatus.CALLED})
    ticket.status = TicketStatus.NO_SHOW
    ticket.finished_at = timezone.now()
    ticket._history_user = actor
    ticket.save(update_fields=["status", "finished_at"])
    _touch(ticket, ticket.finished_at)
    return ticket


@transaction.atomic
def ticket_start_service(*, actor: User, ticket: QueueTicket) -> QueueTicket:
    ticket = _require_at_counter(ticket, actor, {TicketStatus.CALLED})
    ticket.status = TicketStatus.SERVING
    ticket.serving_started_at = timezone.now()
    ticket.operator = actor
    ticket._history_user = actor
    ticket.save(update_fields=["status", "serving_started_at", "operator"])
    return ticket


@transaction.atomic
def ticket_finish(*, actor: User, ticket: QueueTicket) -> QueueTicket:
    ticket = _require_at_counter(ticket, actor, ACTIVE_AT_COUNTER)
    now = timezone.now()
    ticket.status = TicketStatus.SERVED
    ticket.serving_started_at = ticket.serving_started_at or now
    ticket.finished_at = now
    ticket._history_user = actor
    ticket.save(update_fields=["status", "serving_started_at", "finished_at"])
    _touch(ticket, ticket.finished_at)
    return ticket


@transaction.atomic
def ticket_transfer(*, actor: User, ticket: QueueTicket, to_counter: Counter) -> QueueTicket:
    """Send the citizen to another window; they keep their place (waiting since they got the ticket)."""
    if to_counter.organization_id != ticket.organization_id or not to_counter.is_active:
        raise DomainError(_("Choose an open window of this center."), code="bad_counter")
    ticket = _require_at_counter(ticket, actor, ACTIVE_AT_COUNTER)
    if ticket.counter_id == to_counter.pk:
        raise DomainError(_("The ticket is already at this window."), code="same_counter")
    ticket.status = TicketStatus.WAITING
    ticket.counter = to_counter
    ticket.operator = None
    ticket.serving_started_at = None
    ticket.waiting_since = ticket.issued_at
    ticket._history_user = actor
    ticket.save(update_fields=["status", "counter", "operator", "serving_started_at", "waiting_since"])
    return ticket


@transaction.atomic
def ticket_attach_application(*, actor: User, ticket: QueueTicket, application: Application) -> QueueTicket:
    """The citizen of this ticket filed ``application``: link them, for wait-to-application statistics."""
    if application.organization_id != ticket.organization_id:
        raise DomainError(_("The application belongs to another organization."), code="foreign_application")
    ticket = _require_at_counter(ticket, actor, ACTIVE_AT_COUNTER | {TicketStatus.SERVED})
    ticket.application = application
    ticket._history_user = actor
    ticket.save(update_fields=["application"])
    return ticket


@transaction.atomic
def service_group_create(*, actor: User, organization: Organization, letter: str, name: str) -> ServiceGroup:
    require_permission(actor, organization, "queue.manage")
    if ServiceGroup.objects.filter(organization=organization, letter=letter).exists():
        raise DomainError(_("This letter is already used by another group."), code="letter_taken")
    group = ServiceGroup(organization=organization, letter=letter, name=name)
    group._history_user = actor
    group.save()
    return group


@transaction.atomic
def counter_create(*, actor: User, organization: Organization, number: int, group_letters: str) -> Counter:
    require_permission(actor, organization, "queue.manage")
    if Counter.objects.filter(organization=organization, number=number).exists():
        raise DomainError(_("A window with this number exists already."), code="number_taken")
    known = set(ServiceGroup.objects.filter(organization=organization).values_list("letter", flat=True))
    unknown = sorted(set(group_letters) - known)
    if unknown:
        raise DomainError(
            _("No group has the letter(s) %(letters)s. Create the group first.")
            % {"letters": ", ".join(unknown)},
            code="unknown_group",
        )
    counter = Counter(
        organization=organization, number=number, group_letters="".join(sorted(set(group_letters)))
    )
    counter._history_user = actor
    counter.save()
    return counter


@transaction.atomic
def screen_create(
    *, actor: User, organization: Organization, kind: str, name: str, language: str
) -> QueueScreen:
    require_permission(actor, organization, "queue.manage")
    screen = QueueScreen(organization=organization, kind=kind, name=name, language=language)
    screen._history_user = actor
    screen.save()
    return screen
