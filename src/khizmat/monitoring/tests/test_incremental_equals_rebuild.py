"""The property behind the stored KPIs: after any sequence of service calls (applications, queue, ratings and
complaints, citizen reports, routes and drivers' marks, municipal orders' acts), each followed or not by a refresh
of the days the services touched, and the nightly refresh of stocks after each midnight, the stored measures equal
a rebuild from the raw data. A service that forgets to touch a day it changed makes this fail."""

import contextlib
import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khizmat.contracts import services as contracts
from khizmat.contracts.choices import WorkUnit
from khizmat.contracts.models import Act
from khizmat.contracts.tests.factories import ContractFactory
from khizmat.core.errors import DomainError
from khizmat.feedback import services as feedback
from khizmat.feedback.models import FeedbackCase
from khizmat.fieldwork import services as fieldwork
from khizmat.fieldwork.choices import DriverEventKind, FacilityKind, SkipReason
from khizmat.fieldwork.models import Route
from khizmat.fieldwork.tests.factories import CollectionPointFactory, FacilityFactory, VehicleFactory
from khizmat.monitoring import services
from khizmat.monitoring.tests.helpers import BISHKEK, TASHKENT, Clock, at, stored_values
from khizmat.queue import services as queue
from khizmat.queue.models import QueueTicket
from khizmat.queue.tests.factories import CounterFactory, ServiceGroupFactory
from khizmat.reports import services as reports
from khizmat.reports.choices import ReportSource, ReportStatus
from khizmat.reports.models import Report
from khizmat.reports.tests.factories import ReportTypeFactory
from khizmat.services import services as applications
from khizmat.services.models import Application
from khizmat.services.tests.factories import VALID_PINFL, ServiceFactory
from khizmat.services.workflow import TRANSITIONS
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory, OversightFactory, country

pytestmark = pytest.mark.django_db

index = st.integers(0, 5)
SERVICE_CENTER = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 60)),  # received that many hours ago
    st.tuples(st.just("transition"), index, st.sampled_from(sorted(TRANSITIONS))),
    st.tuples(st.just("ticket")),
    st.tuples(st.just("call")),
    st.tuples(st.just("ticket_step"), index, st.sampled_from(["start", "finish", "no_show", "transfer"])),
    st.tuples(st.just("rate"), index, st.integers(1, 5)),
    st.tuples(st.just("complain")),
    st.tuples(st.just("answer"), index),
)
REPORTS = st.one_of(
    st.tuples(st.just("report"), st.booleans()),
    st.tuples(
        st.just("report_status"),
        index,
        st.sampled_from([s for s in ReportStatus.values if s != ReportStatus.DUPLICATE]),
    ),
    st.tuples(st.just("citizen_answer"), index, st.booleans()),
)
FIELD_WORK = st.one_of(
    st.tuples(
        st.just("route"),
        st.integers(-1, 2),  # days from today: routes are drawn for tomorrow too
        st.integers(0, 1),
        st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True),
    ),
    st.tuples(st.just("mark"), index, st.sampled_from(DriverEventKind.values), index, st.integers(0, 200)),
    st.tuples(st.just("work"), st.integers(1, 30)),
    st.tuples(st.just("act")),
)
HOURS = st.sampled_from([0, 1, 3, 8, 20, 40])  # often the same day, often across a midnight


def steps(actions):
    return st.lists(st.tuples(actions, HOURS, st.booleans()), max_size=15)


class Town:
    """A service center (Tashkent time) and a municipal enterprise with its aiyl okmotu (Bishkek time)."""

    def __init__(self, member):
        self.center = OrganizationFactory(kind=OrganizationKind.SERVICE_CENTER)
        self.clerk = member(self.center, Role.ADMIN)
        self.service = ServiceFactory(organization=self.center, deadline_working_days=2)
        group = ServiceGroupFactory(organization=self.center, letter="A")
        self.group = group
        self.counters = [
            CounterFactory(organization=self.center, number=1, group_letters="A"),
            CounterFactory(organization=self.center, number=2, group_letters="A"),
        ]
        self.center_type = ReportTypeFactory(organization=self.center, resolution_working_days=1)
        kg = country("KG")
        self.enterprise = OrganizationFactory(kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=kg)
        self.dispatcher = member(self.enterprise, Role.ADMIN)
        customer = OrganizationFactory(kind=OrganizationKind.AIYL_OKMOTU, country=kg)
        OversightFactory(overseer=customer, overseen=self.enterprise, kind=OversightKind.OWNER)
        self.head = member(customer, Role.ADMIN)
        self.enterprise_type = ReportTypeFactory(organization=self.enterprise, code="missed-pickup")
        self.vehicles = [VehicleFactory(organization=self.enterprise) for _ in range(2)]
        self.points = [CollectionPointFactory(organization=self.enterprise) for _ in range(5)]
        self.landfill = FacilityFactory(organization=self.enterprise, kind=FacilityKind.LANDFILL)
        self.contract = ContractFactory(
            organization=self.enterprise,
            customer=customer,
            starts_on=datetime.date(2031, 1, 1),
            ends_on=datetime.date(2031, 12, 31),
        )
        self.item = contracts.work_item_add(
            actor=self.dispatcher,
            contract=self.contract,
            code="SW",
            name="Sweeping",
            unit=WorkUnit.KILOMETRE,
            unit_price=Decimal("100"),
            planned_quantity=Decimal("120"),
        )


def _pick(queryset, i):
    rows = list(queryset.order_by("pk"))
    return rows[i % len(rows)] if rows else None


def _apply(town: Town, action: tuple, now: datetime.datetime) -> None:
    kind, *args = action
    center, enterprise = town.center, town.enterprise
    if kind == "register":
        applications.application_register(
            actor=town.clerk,
            organization=center,
            service=town.service,
            applicant_name="Karimov Shohrux",
            applicant_id_number=VALID_PINFL,
            received_at=now - datetime.timedelta(hours=args[0]),
        )
    elif kind == "transition":
        application = _pick(Application.objects.filter(organization=center), args[0])
        if application:
            applications.application_transition(
                actor=town.clerk, application=application, name=args[1], comment="See the note."
            )
    elif kind == "ticket":
        queue.ticket_issue(organization=center, group=town.group)
    elif kind == "call":
        queue.ticket_call_next(actor=town.clerk, counter=town.counters[0])
    elif kind == "ticket_step":
        ticket = _pick(QueueTicket.objects.filter(organization=center), args[0])
        if ticket:
            step = {
                "start": queue.ticket_start_service,
                "finish": queue.ticket_finish,
                "no_show": queue.ticket_no_show,
            }.get(args[1])
            if step:
                step(actor=town.clerk, ticket=ticket)
            else:
                queue.ticket_transfer(actor=town.clerk, ticket=ticket, to_counter=town.counters[1])
    elif kind == "rate":
        tickets = list(QueueTicket.objects.filter(organization=center).order_by("pk"))
        decided = list(Application.objects.filter(organization=center).order_by("pk"))
        targets = [("ticket", t) for t in tickets] + [("application", a) for a in decided]
        if targets:
            name, target = targets[args[0] % len(targets)]
            feedback.rating_submit(organization=center, score=args[1], **{name: target})
    elif kind == "complain":
        feedback.complaint_submit(organization=center, text="The queue took far too long today.")
    elif kind == "answer":
        case = _pick(FeedbackCase.objects.filter(organization=center), args[0])
        if case:
            feedback.case_answer(actor=town.clerk, case=case, answer="We are sorry; it is fixed.")
    elif kind == "report":
        organization, report_type = (
            (center, town.center_type) if args[0] else (enterprise, town.enterprise_type)
        )
        reports.report_create(
            organization=organization,
            report_type=report_type,
            source=ReportSource.PORTAL,
            address="Market street",
        )
    elif kind == "report_status":
        report = _pick(Report.objects.all(), args[0])
        if report:
            actor = town.clerk if report.organization_id == center.pk else town.dispatcher
            reports.report_set_status(actor=actor, report=report, status=args[1])
    elif kind == "citizen_answer":
        report = _pick(Report.objects.filter(status=ReportStatus.RESOLVED), args[0])
        if report:
            reports.report_citizen_answer(report=report, token=report.token, solved=args[1])
    elif kind == "route":
        offset, vehicle, points = args
        fieldwork.route_save(
            actor=town.dispatcher,
            vehicle=town.vehicles[vehicle],
            date=local_today(enterprise) + datetime.timedelta(days=offset),
            trips=[[town.points[p].pk for p in points]],
        )
    elif kind == "mark":
        route = _pick(Route.objects.filter(organization=enterprise), args[0])
        if route:
            mark_kind, stop_index, number = args[1], args[2], args[3]
            stop = _pick(route.stops.all(), stop_index)
            mark = {"id": str(uuid.uuid4()), "kind": mark_kind, "at": now.isoformat(), "route": route.pk}
            mark |= {
                DriverEventKind.STOP_DONE: {"stop": stop and stop.pk},
                DriverEventKind.STOP_SKIPPED: {
                    "stop": stop and stop.pk,
                    "reason": SkipReason.NO_WASTE if number % 2 else SkipReason.BLOCKED,
                },
                DriverEventKind.TRIP_START: {"odometer": 1000 + number},
                DriverEventKind.LOAD: {"volume_m3": str(1 + number % 8), "facility": town.landfill.pk},
                DriverEventKind.TRIP_END: {"odometer": 1100 + number, "fuel_litres": str(number / 4)},
            }[mark_kind]
            fieldwork.driver_marks_receive(actor=town.dispatcher, organization=enterprise, marks=[mark])
    elif kind == "work":
        contracts.work_record_add(
            actor=town.dispatcher,
            work_item=town.item,
            date=local_today(enterprise),
            quantity=Decimal(args[0]),
        )
    elif kind == "act":
        month = (local_today(enterprise).replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        act = Act.objects.filter(organization=enterprise, month=month).first()
        if act is None:
            act = contracts.act_build(actor=town.dispatcher, contract=town.contract, month=month)
        if act.status == "draft":
            act = contracts.act_submit(actor=town.dispatcher, act=act)
        contracts.act_accept(actor=town.head, act=act)


def _local_days(moment):
    return moment.astimezone(TASHKENT).date(), moment.astimezone(BISHKEK).date()


def run(town: Town, steps) -> tuple[list, list]:
    """Play the steps from Thursday 27 March 2031 (crossing into April); the stored values after the last refresh,
    then after a rebuild."""
    with Clock(at(27, 9)) as clock:
        for action, hours, refresh in steps:
            before = _local_days(clock.now)
            clock.advance(hours=hours)
            if _local_days(clock.now) != before:
                services.kpi_refresh_stocks()  # the nightly job, after midnight
            with contextlib.suppress(
                DomainError
            ):  # refused (an illegal step, nobody to call): nothing changed
                _apply(town, action, clock.now)
            if refresh:
                services.kpi_refresh_touched()
        services.kpi_refresh_touched()
        incremental = stored_values()
        services.kpi_rebuild()
        return incremental, stored_values()


@pytest.fixture
def town(member):
    return Town(member)


PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(town, sequence):
    with transaction.atomic():
        incremental, rebuilt = run(town, sequence)
        transaction.set_rollback(True)
    assert incremental == rebuilt


@PROPERTY
@given(sequence=steps(SERVICE_CENTER))
def test_service_center_aggregates_equal_a_rebuild(town, sequence):
    check(town, sequence)


@PROPERTY
@given(sequence=steps(REPORTS | FIELD_WORK.filter(lambda action: action[0] in ("route", "mark"))))
def test_report_aggregates_equal_a_rebuild(town, sequence):
    """Reports, including those a skipped point files for the crew."""
    check(town, sequence)


@PROPERTY
@given(sequence=steps(FIELD_WORK))
def test_field_work_aggregates_equal_a_rebuild(town, sequence):
    check(town, sequence)


def test_a_sequence_that_touches_every_source_is_covered(town):
    """One fixed sequence through every source, so the property's fixture is known to produce values at all."""
    steps = [
        (("register", 30), 1, False),
        (("transition", 0, "start_review"), 1, False),
        (("transition", 0, "approve"), 1, True),
        (("ticket",), 0, False),
        (("call",), 1, False),
        (("ticket_step", 0, "finish"), 1, False),
        (("rate", 0, 2), 0, False),
        (("complain",), 2, False),
        (("answer", 1), 20, False),
        (("report", True), 1, False),
        (("report_status", 0, ReportStatus.RESOLVED), 5, False),
        (("citizen_answer", 0, False), 5, False),
        (("route", 0, 0, [0, 1, 2]), 1, False),
        (("route", 1, 1, [3, 4]), 1, False),
        (("mark", 0, DriverEventKind.TRIP_START, 0, 10), 1, False),
        (("mark", 0, DriverEventKind.STOP_DONE, 0, 0), 1, False),
        (("mark", 0, DriverEventKind.STOP_SKIPPED, 1, 0), 1, False),
        (("mark", 0, DriverEventKind.LOAD, 0, 5), 1, False),
        (("mark", 0, DriverEventKind.TRIP_END, 0, 90), 1, False),
        (("work", 12), 100, False),
        (("act",), 1, False),
    ]
    incremental, rebuilt = run(town, steps)
    assert incremental == rebuilt
    measures = {row[1].split(".")[0] for row in rebuilt}
    assert measures >= {"applications", "queue", "feedback", "reports", "fieldwork", "contracts"}
