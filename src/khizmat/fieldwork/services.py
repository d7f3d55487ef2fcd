"""State changes of field work: route plans (requested, run in the background, applied), routes, and the marks
drivers send from their phones. Every change is atomic and audited; a mark sent twice is applied once."""

from __future__ import annotations

import base64
import binascii
import datetime
import time
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import check_date, field_rule, normalize_phone
from khizmat.core.uploads import clean_image, stored_files_cleanup
from khizmat.fieldwork import dayplan
from khizmat.fieldwork.choices import (
    SKIPS_WITHOUT_REPORT,
    CrewPosition,
    DriverEventKind,
    FacilityKind,
    PlanScope,
    PlanStatus,
    RouteSource,
    RouteStatus,
    SkipReason,
    StopStatus,
)
from khizmat.fieldwork.kpis import SOURCE as KPI_SOURCE
from khizmat.fieldwork.models import (
    CollectionPoint,
    CrewMember,
    DriverEvent,
    Facility,
    FuelRecord,
    MaintenanceRule,
    Route,
    RoutePlan,
    RouteStop,
    Trip,
    TripLoad,
    Vehicle,
    VehicleService,
)
from khizmat.fieldwork.planning import PlanningError, plan_and_check, route_cost
from khizmat.inventory import services as inventory
from khizmat.inventory.choices import EquipmentType
from khizmat.monitoring.services import kpi_touch
from khizmat.tenancy.localtime import local_date, organization_zone
from khizmat.tenancy.permissions import membership_of, require_permission

MAX_PHOTO_BYTES = 3 * 1024 * 1024
MAX_PHOTO_PIXELS = 16_000_000  # the phone sends at most 1024 px a side; a camera's own picture is about 12 MP
PHOTO_LONGEST_SIDE = 1600
MAX_SEARCH_SECONDS = 120
MAX_MARKS_PER_SYNC = 500  # the phone sends 20 at a time


# --- Vehicles: equipment records of the inventory ----------------------------------------------------------------

VEHICLE_FIELDS = ("plate", "kind", "year", "capacity_m3", "capacity_kg", "fuel_norm", "notes")


@transaction.atomic
def vehicle_create(
    *,
    actor,
    organization,
    plate: str,
    kind: str,
    capacity_m3,
    capacity_kg: int,
    fuel_norm,
    make_model: str = "",
    year: int | None = None,
    funder_project=None,
    cost=None,
    currency: str = "",
    delivery_date=None,
    serial_number: str = "",
    inventory_number: str = "",
    status: str | None = None,
    notes: str = "",
) -> Vehicle:
    """Register a vehicle and its equipment record (type "vehicle", same organization) in one transaction: the make
    and model, funder project, cost and status are the equipment's. Needs ``fieldwork.manage``.

    Raises DomainError: a plate already registered, or any refusal of the inventory's ``equipment_create``."""
    require_permission(actor, organization, "fieldwork.manage")
    plate = " ".join(str(plate or "").split()).upper()
    if not plate:
        raise DomainError(_("Write the registration plate."), code="plate_required", field="plate")
    if Vehicle.objects.filter(organization=organization, plate=plate).exists():
        raise DomainError(
            _("A vehicle with the plate %(plate)s is already registered.") % {"plate": plate},
            code="duplicate_vehicle",
            field="plate",
        )
    equipment = inventory.equipment_create(
        actor=actor,
        organization=organization,
        type=EquipmentType.VEHICLE,
        model=make_model or plate,
        serial_number=serial_number,
        cost=cost,
        currency=currency,
        funder_project=funder_project,
        delivery_date=delivery_date,
        inventory_number=inventory_number,
        place=plate,
        **({"status": status} if status else {}),
        permission="fieldwork.manage",
    )
    vehicle = Vehicle(
        organization=organization,
        equipment=equipment,
        plate=plate,
        kind=kind,
        year=year,
        capacity_m3=capacity_m3,
        capacity_kg=capacity_kg,
        fuel_norm=fuel_norm,
        notes=notes,
    )
    vehicle._history_user = actor
    try:
        vehicle.full_clean(exclude=["organization", "equipment"], validate_constraints=False)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="invalid_vehicle") from error
    vehicle.save()
    return vehicle


def vehicle_status_change(*, actor, vehicle: Vehicle, status: str, reason: str):
    """A vehicle's status is its equipment's: changed through the inventory's service (who, when, why), by a member
    with ``fieldwork.manage``. A vehicle not in use is not offered to the route planner."""
    return inventory.equipment_status_change(
        actor=actor, equipment=vehicle.equipment, status=status, reason=reason, permission="fieldwork.manage"
    )


VEHICLE_EQUIPMENT_FIELDS = {
    # the vehicle form's name → the equipment record's field (the inventory keeps them once)
    "make_model": "model",
    "funder_project": "funder_project",
    "serial_number": "serial_number",
    "cost": "cost",
    "currency": "currency",
    "delivery_date": "delivery_date",
    "inventory_number": "inventory_number",
}


def _vehicle_in_service(vehicle: Vehicle, *, actor) -> Vehicle:
    """The vehicle locked for a change by ``actor`` (``fieldwork.manage``); a written-off one is refused."""
    require_permission(actor, vehicle.organization, "fieldwork.manage")
    locked = (
        Vehicle.objects.select_for_update()
        .select_related("equipment", "organization")
        .get(pk=vehicle.pk, organization=vehicle.organization_id)
    )
    if locked.equipment.is_written_off:
        raise DomainError(
            _("The vehicle %(plate)s is written off: nothing more is recorded for it.")
            % {"plate": locked.plate},
            code="written_off",
        )
    return locked


@transaction.atomic
def vehicle_update(*, actor, vehicle: Vehicle, **values) -> Vehicle:
    """Change a vehicle's own fields (``VEHICLE_FIELDS``) and those its equipment record keeps
    (``VEHICLE_EQUIPMENT_FIELDS``: make and model, funder project, cost…) together. Not its status
    (:func:`vehicle_status_change`). Raises DomainError: a plate another vehicle has, a written-off vehicle, or any
    refusal of the inventory."""
    unknown = set(values) - set(VEHICLE_FIELDS) - set(VEHICLE_EQUIPMENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = _vehicle_in_service(vehicle, actor=actor)
    if "plate" in values:
        plate = " ".join(str(values["plate"] or "").split()).upper()
        if not plate:
            raise DomainError(_("Write the registration plate."), code="plate_required", field="plate")
        taken = Vehicle.objects.filter(organization=locked.organization_id, plate=plate).exclude(pk=locked.pk)
        if taken.exists():
            raise DomainError(
                _("A vehicle with the plate %(plate)s is already registered.") % {"plate": plate},
                code="duplicate_vehicle",
                field="plate",
            )
        values["plate"] = plate
    equipment_values = {
        VEHICLE_EQUIPMENT_FIELDS[name]: value
        for name, value in values.items()
        if name in VEHICLE_EQUIPMENT_FIELDS
    }
    if "plate" in values:
        equipment_values["place"] = values["plate"]
    if equipment_values.get("model") == "":
        equipment_values["model"] = values.get("plate", locked.plate)
    if equipment_values:
        inventory.equipment_update(
            actor=actor, equipment=locked.equipment, permission="fieldwork.manage", **equipment_values
        )
    own = {name: value for name, value in values.items() if name in VEHICLE_FIELDS}
    for name, value in own.items():
        setattr(locked, name, value)
    try:
        locked.full_clean(exclude=["organization", "equipment"], validate_constraints=False)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="invalid_vehicle") from error
    if own:
        locked._history_user = actor
        locked.save(update_fields=sorted(own))
    return locked


def _odometer_check(vehicle: Vehicle, *, day: datetime.date, km: int | None) -> None:
    """A reading may not go below one recorded on an earlier day (a trip, a service, a refuelling)."""
    if km is None:
        return
    from khizmat.fieldwork.selectors import vehicle_odometer

    earlier = vehicle_odometer(vehicle, on_or_before=day - datetime.timedelta(days=1))
    if earlier and km < earlier.km:
        raise DomainError(
            _("The odometer cannot read %(km)s km: it read %(earlier)s km on %(date)s.")
            % {"km": km, "earlier": earlier.km, "date": earlier.date.strftime("%d.%m.%Y")},
            code="odometer_backwards",
            field="odometer_km",
        )


def _past_date(value, organization, field: str = "date") -> datetime.date:
    """A date that already happened in the organization's calendar."""
    if value is None:
        raise DomainError(_("Write the date."), code="date_required", field=field)
    with field_rule(field):
        return check_date(value, latest=local_date(timezone.now(), organization))


def _money(cost, currency: str, organization) -> tuple[Decimal, str]:
    currency = currency or organization.currency
    if currency != organization.currency:
        raise DomainError(
            _("Amounts of this organization are in %(currency)s.") % {"currency": organization.currency},
            code="wrong_currency",
            field="currency",
        )
    return Decimal(cost or 0), currency


def _dated_reading(*, actor, vehicle: Vehicle, date, odometer_km, cost, currency):
    """What a log entry and a refuelling check alike: the vehicle locked and in service, a date not ahead, an
    odometer reading not below an earlier day's, the amount in the organization's currency."""
    locked = _vehicle_in_service(vehicle, actor=actor)
    day = _past_date(date, locked.organization)
    _odometer_check(locked, day=day, km=odometer_km)
    cost, currency = _money(cost, currency, locked.organization)
    return locked, day, cost, currency


@transaction.atomic
def maintenance_record(
    *,
    actor,
    vehicle: Vehicle,
    date,
    kind: str,
    odometer_km: int | None = None,
    cost=0,
    currency: str = "",
    description: str = "",
    rule: MaintenanceRule | None = None,
) -> VehicleService:
    """Write an entry of the vehicle's maintenance log. With ``rule``, the plan's service counts again from this
    entry. Raises DomainError: a date ahead, an odometer reading below an earlier one, a rule of another vehicle."""
    locked, day, cost, currency = _dated_reading(
        actor=actor, vehicle=vehicle, date=date, odometer_km=odometer_km, cost=cost, currency=currency
    )
    if rule is not None and rule.vehicle_id != locked.pk:
        raise DomainError(
            _("This service is not in the plan of this vehicle."), code="rule_of_other_vehicle", field="rule"
        )
    entry = VehicleService(
        organization=locked.organization,
        vehicle=locked,
        rule=rule,
        date=day,
        kind=kind,
        odometer_km=odometer_km,
        cost=cost,
        currency=currency,
        description=description,
    )
    _clean_and_save(entry, actor, code="invalid_service")
    return entry


@transaction.atomic
def fuel_record_create(
    *, actor, vehicle: Vehicle, date, litres, cost=0, currency: str = "", odometer_km=None, note: str = ""
) -> FuelRecord:
    """Write a refuelling of the vehicle. Raises DomainError as :func:`maintenance_record`."""
    locked, day, cost, currency = _dated_reading(
        actor=actor, vehicle=vehicle, date=date, odometer_km=odometer_km, cost=cost, currency=currency
    )
    record = FuelRecord(
        organization=locked.organization,
        vehicle=locked,
        date=day,
        litres=litres,
        cost=cost,
        currency=currency,
        odometer_km=odometer_km,
        note=note,
    )
    _clean_and_save(record, actor, code="invalid_fuel_record")
    return record


@transaction.atomic
def maintenance_rule_save(
    *,
    actor,
    vehicle: Vehicle,
    rule: MaintenanceRule | None = None,
    name: str,
    kind: str,
    every_days: int | None = None,
    every_km: int | None = None,
    start_date=None,
    start_km: int | None = None,
    is_active: bool = True,
) -> MaintenanceRule:
    """Add a service to the vehicle's maintenance plan, or change one (``rule``). At least one interval (days or
    km). Raises DomainError: no interval, a name the plan already has, a rule of another vehicle."""
    locked = _vehicle_in_service(vehicle, actor=actor)
    organization = locked.organization
    name = " ".join(str(name or "").split())
    if not name:
        raise DomainError(_("Name the service."), code="name_required", field="name")
    if not every_days and not every_km:
        raise DomainError(
            _("Give an interval: every so many days, kilometres, or both."),
            code="interval_required",
            field="every_days",
        )
    if rule is not None:
        rule = MaintenanceRule.objects.select_for_update().get(pk=rule.pk, organization=organization)
        if rule.vehicle_id != locked.pk:
            raise DomainError(
                _("This service is not in the plan of this vehicle."), code="rule_of_other_vehicle"
            )
    else:
        rule = MaintenanceRule(organization=organization, vehicle=locked)
    if (
        MaintenanceRule.objects.filter(organization=organization, vehicle=locked, name=name)
        .exclude(pk=rule.pk)
        .exists()
    ):
        raise DomainError(
            _("The plan of this vehicle already has “%(name)s”.") % {"name": name},
            code="duplicate_rule",
            field="name",
        )
    rule.name, rule.kind = name, kind
    rule.every_days, rule.every_km = every_days or None, every_km or None
    rule.start_date = _past_date(
        start_date or local_date(timezone.now(), organization), organization, "start_date"
    )
    rule.start_km = start_km
    rule.is_active = is_active
    _clean_and_save(rule, actor, code="invalid_rule")
    return rule


@transaction.atomic
def crew_member_save(
    *,
    actor,
    vehicle: Vehicle,
    member: CrewMember | None = None,
    name: str,
    position: str,
    user=None,
    phone: str = "",
    is_active: bool = True,
) -> CrewMember:
    """Add a person to a vehicle's crew, or change one (``member``: their vehicle too, to move them). A driver's
    login must be an active driver, dispatcher or manager of this organization. Raises DomainError."""
    locked = _vehicle_in_service(vehicle, actor=actor)
    organization = locked.organization
    name = " ".join(str(name or "").split())
    if not name:
        raise DomainError(_("Write the person's name."), code="name_required", field="name")
    if user is not None:
        membership = membership_of(user, organization)
        if membership is None or not membership.has_permission("fieldwork.drive"):
            raise DomainError(
                _("This login is not a driver of this organization."), code="not_a_driver", field="user"
            )
    with field_rule("phone"):
        phone = normalize_phone(phone, country_code=organization.country.code)
    if member is not None:
        member = CrewMember.objects.select_for_update().get(pk=member.pk, organization=organization)
    else:
        member = CrewMember(organization=organization)
    if (
        CrewMember.objects.filter(organization=organization, vehicle=locked, name=name)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise DomainError(
            _("The crew of %(plate)s already has %(name)s.") % {"plate": locked.plate, "name": name},
            code="duplicate_crew_member",
            field="name",
        )
    member.vehicle, member.name, member.position = locked, name, position
    member.user, member.phone, member.is_active = user, phone, is_active
    _clean_and_save(member, actor, code="invalid_crew_member")
    return member


def _clean_and_save(row, actor, *, code: str) -> None:
    try:
        row.full_clean(exclude=["organization", "vehicle", "rule", "user"], validate_constraints=False)
    except ValidationError as error:
        field = next(iter(error.message_dict), None) if hasattr(error, "error_dict") else None
        raise DomainError(" ".join(error.messages), code=code, field=field) from error
    row._history_user = actor
    row.save()


# --- Route plans ------------------------------------------------------------------------------------------------


def plan_request(
    *,
    actor,
    organization,
    date: datetime.date,
    scope: str = PlanScope.SCHEDULED,
    vehicle_ids: list[int] | None = None,
    max_seconds: int = 20,
    shift_minutes: int = 540,
    shift_start: datetime.time = datetime.time(7, 0),
) -> RoutePlan:
    """Queue the optimization of ``date``'s routes; it runs in the background (:func:`plan_execute`)."""
    require_permission(actor, organization, "fieldwork.manage")
    with field_rule("date"):
        check_date(date)
    if scope not in PlanScope.values:
        raise DomainError(_("Choose which points to plan."), code="bad_scope")
    if not 1 <= max_seconds <= MAX_SEARCH_SECONDS:
        raise DomainError(
            _("The search time must be between 1 and %(max)s seconds.") % {"max": MAX_SEARCH_SECONDS},
            code="bad_search_time",
        )
    if not 60 <= shift_minutes <= 24 * 60:
        raise DomainError(_("A shift lasts between 1 and 24 hours."), code="bad_shift")
    available = {v.pk for v in dayplan.collecting_vehicles(organization=organization)}
    chosen = sorted(set(vehicle_ids)) if vehicle_ids is not None else sorted(available)
    if not chosen:
        raise DomainError(_("Choose at least one vehicle in service."), code="no_vehicles")
    if not set(chosen) <= available:
        raise DomainError(_("Only collecting vehicles in service can be planned."), code="bad_vehicle")
    points = dayplan.points_for_day(organization=organization, date=date, scope=scope)
    if not points:
        raise DomainError(_("No collection point is due on that day."), code="no_points")
    plan = RoutePlan(
        organization=organization,
        date=date,
        scope=scope,
        vehicle_ids=chosen,
        point_count=len(points),
        max_seconds=max_seconds,
        shift_minutes=shift_minutes,
        shift_start=shift_start,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    plan._history_user = actor
    with transaction.atomic():
        plan.save()
        from khizmat.fieldwork.tasks import execute_route_plan

        transaction.on_commit(lambda: execute_route_plan.enqueue(plan_id=plan.pk))
    return plan


def _progress_writer(plan: RoutePlan):
    """A solver progress callback that writes the percentage at most once a second (the page polls it)."""
    last = {"at": 0.0, "percent": -1}

    def report(fraction: float, best_cost) -> None:
        percent = min(99, int(fraction * 100))
        now = time.monotonic()
        if percent != last["percent"] and now - last["at"] >= 1.0:
            RoutePlan.objects.filter(pk=plan.pk, organization_id=plan.organization_id).update(
                progress=percent
            )
            last.update(at=now, percent=percent)

    return report


def plan_execute(*, plan_id: int, retry: bool = False) -> RoutePlan:
    """Build the day's problem, search, check the plan independently and store it with the manual routes' cost.

    Safe to run twice: a plan that is no longer queued is returned as it is — except on the ``retry`` of a task
    whose worker died mid-search (khizmat.core.taskrecovery), which takes over the plan that worker left running.
    """
    claimable = [PlanStatus.QUEUED, PlanStatus.RUNNING] if retry else [PlanStatus.QUEUED]
    updated = RoutePlan.objects.filter(pk=plan_id, status__in=claimable).update(
        status=PlanStatus.RUNNING, started_at=timezone.now()
    )
    plan = RoutePlan.objects.select_related("organization", "requested_by").get(pk=plan_id)
    if not updated:
        return plan
    # What the dispatcher reads later (a refusal) is written in their language.
    with translation.override(plan.requested_by.language or settings.LANGUAGE_CODE):
        return _plan_search(plan)


def _plan_search(plan: RoutePlan) -> RoutePlan:
    organization = plan.organization
    try:
        points = dayplan.points_for_day(organization=organization, date=plan.date, scope=plan.scope)
        vehicles = list(
            Vehicle.objects.filter(organization=organization, pk__in=plan.vehicle_ids).order_by("pk")
        )
        problem = dayplan.build_problem(
            organization=organization,
            points=points,
            vehicles=vehicles,
            shift_minutes=plan.shift_minutes,
            shift_start=plan.shift_start,
        )
        matrix = problem.matrix()
        checked = plan_and_check(
            problem,
            max_seconds=plan.max_seconds,
            matrix=matrix,
            progress=_progress_writer(plan),
            max_iterations=settings.FIELDWORK_PLAN_MAX_ITERATIONS,
        )
        result, violations = checked.plan, checked.violations
        manual = _manual_cost(plan, vehicles_by_id={v.pk: v for v in vehicles})
    except (DomainError, PlanningError) as error:
        return _plan_fail(plan, str(error.message if isinstance(error, DomainError) else error))
    plan.status = PlanStatus.DONE
    plan.progress = 100
    plan.finished_at = timezone.now()
    plan.point_count = len(points)
    plan.planned_distance_m = result.distance_m
    plan.planned_duration_s = result.duration_s
    plan.solver_seconds = round(result.solver_seconds, 2)
    plan.feasible = result.feasible and not violations
    plan.violations = violations
    plan.manual_distance_m, plan.manual_duration_s = manual
    plan.result = {
        "routes": [
            {
                "vehicle": dayplan.key_id(route.vehicle_key),
                "trips": [[dayplan.key_id(key) for key in trip] for trip in route.trips],
                "unloads": [dayplan.key_id(key) for key in route.unloads],
                "loads_l": route.loads,
                "distance_m": route.distance_m,
                "duration_s": route.duration_s,
                "start_s": route.start_s,
            }
            for route in result.routes
        ]
    }
    plan.save()
    return plan


def _plan_fail(plan: RoutePlan, message: str) -> RoutePlan:
    plan.status = PlanStatus.FAILED
    plan.error = message
    plan.finished_at = timezone.now()
    plan.save(update_fields=["status", "error", "finished_at"])
    return plan


def _manual_cost(plan: RoutePlan, vehicles_by_id: dict[int, Vehicle]) -> tuple[int | None, int | None]:
    """Distance and time of the day's routes the dispatcher drew by hand (same distances as the planner), or
    ``(None, None)`` when there are none to compare with."""
    routes = list(
        Route.objects.filter(organization=plan.organization_id, date=plan.date, source=RouteSource.MANUAL)
        .select_related("vehicle")
        .order_by("pk")
    )
    drawn = {route.vehicle: dayplan.route_trips(route) for route in routes}
    drawn = {vehicle: trips for vehicle, trips in drawn.items() if any(trips)}
    if not drawn:
        return None, None
    return manual_routes_cost(plan.organization, drawn, shift_minutes=plan.shift_minutes)


def manual_routes_cost(
    organization, drawn: dict[Vehicle, list[list[int]]], *, shift_minutes: int
) -> tuple[int, int]:
    """Total distance (m) and time (s) of hand-drawn routes, each trip unloaded at the nearest landfill."""
    point_ids = [pk for trips in drawn.values() for trip in trips for pk in trip]
    points = list(CollectionPoint.objects.filter(organization=organization, pk__in=point_ids))
    problem = dayplan.build_problem(
        organization=organization, points=points, vehicles=list(drawn), shift_minutes=shift_minutes
    )
    matrix = problem.matrix()
    costs = [
        route_cost(problem, f"v{vehicle.pk}", dayplan.keys(trips), matrix=matrix)
        for vehicle, trips in drawn.items()
    ]
    return sum(c.distance_m for c in costs), sum(c.duration_s for c in costs)


def plan_apply(*, actor, plan: RoutePlan) -> list[Route]:
    """Write the plan's routes for its day: each vehicle's route of that day is replaced, unless it has started."""
    organization = plan.organization
    require_permission(actor, organization, "fieldwork.manage")
    with transaction.atomic():
        plan = RoutePlan.objects.select_for_update().get(pk=plan.pk, organization=organization)
        if plan.status != PlanStatus.DONE:
            raise DomainError(_("Only a finished plan can be turned into routes."), code="plan_not_ready")
        if not plan.feasible:
            raise DomainError(
                _(
                    "This plan breaks a rule (capacity or shift length); plan again with more vehicles or time."
                ),
                code="plan_infeasible",
            )
        day_routes = Route.objects.filter(
            organization=organization, date=plan.date, vehicle_id__in=plan.vehicle_ids
        )
        started = day_routes.exclude(status=RouteStatus.PLANNED).select_related("vehicle").first()
        if started is not None:
            raise DomainError(
                _("The route of %(vehicle)s on that day has started; it cannot be replaced.")
                % {"vehicle": started.vehicle.plate},
                code="route_started",
            )
        # The plan's vehicles that it leaves in the yard lose their routes of the day.
        planned_vehicles = {item["vehicle"] for item in plan.result.get("routes", [])}
        day_routes.exclude(vehicle_id__in=planned_vehicles).delete()
        kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[plan.date])
        routes = [
            route_save(
                actor=actor,
                vehicle=Vehicle.objects.get(organization=organization, pk=item["vehicle"]),
                date=plan.date,
                trips=item["trips"],
                source=RouteSource.OPTIMIZED,
                plan=plan,
                distance_m=item["distance_m"],
                duration_s=item["duration_s"],
            )
            for item in plan.result.get("routes", [])
        ]
        plan.status = PlanStatus.APPLIED
        plan._history_user = actor
        plan.save(update_fields=["status"])
    return routes


# --- Routes -----------------------------------------------------------------------------------------------------


def vehicle_driver(vehicle: Vehicle):
    """The login of the vehicle's driver, if its crew has one."""
    member = (
        CrewMember.objects.filter(
            organization=vehicle.organization_id,
            vehicle=vehicle,
            position=CrewPosition.DRIVER,
            is_active=True,
        )
        .exclude(user=None)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return member.user if member else None


@transaction.atomic
def route_save(
    *,
    actor,
    vehicle: Vehicle,
    date: datetime.date,
    trips: list[list[int]],
    source: str = RouteSource.MANUAL,
    plan: RoutePlan | None = None,
    distance_m: int | None = None,
    duration_s: int | None = None,
) -> Route:
    """Create or replace the vehicle's route of the day with these trips of point ids (in order)."""
    organization = vehicle.organization
    require_permission(actor, organization, "fieldwork.manage")
    point_ids = [pk for trip in trips for pk in trip]
    if len(set(point_ids)) != len(point_ids):
        raise DomainError(_("A point appears twice in the route."), code="duplicate_point")
    known = set(
        CollectionPoint.objects.filter(organization=organization, pk__in=point_ids).values_list(
            "pk", flat=True
        )
    )
    if known != set(point_ids):
        raise DomainError(_("The route has a point that does not exist."), code="unknown_point")
    route = (
        Route.objects.select_for_update()
        .filter(organization=organization, vehicle=vehicle, date=date)
        .first()
    )
    if route is not None and route.status != RouteStatus.PLANNED:
        raise DomainError(
            _("The route of %(vehicle)s on that day has started; it cannot be replaced.")
            % {"vehicle": vehicle.plate},
            code="route_started",
        )
    # A point belongs to one route of the day: take it off the other vehicles' routes that have not started.
    others = RouteStop.objects.filter(
        organization=organization, route__date=date, point_id__in=point_ids, route__status=RouteStatus.PLANNED
    ).exclude(route__vehicle=vehicle)
    emptied = set(others.values_list("route_id", flat=True))
    others.delete()
    # An emptied route goes, unless the driver has already logged a trip on it (a load or an end marked before the
    # start): that trip log keeps its route.
    logged = Trip.objects.filter(organization=organization, route_id__in=emptied).values("route_id")
    Route.objects.filter(organization=organization, pk__in=emptied, stops=None).exclude(
        pk__in=logged
    ).delete()
    if route is None:
        route = Route(organization=organization, vehicle=vehicle, date=date)
    route.source = source
    route.plan = plan
    route.driver = vehicle_driver(vehicle)
    route.planned_distance_m = distance_m
    route.planned_duration_s = duration_s
    route._history_user = actor
    route.save()
    RouteStop.objects.filter(organization=organization, route=route).delete()
    kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[date])
    RouteStop.objects.bulk_create(
        RouteStop(organization=organization, route=route, point_id=pk, sequence=sequence, trip_number=number)
        for sequence, (number, pk) in enumerate(
            ((number, pk) for number, trip in enumerate(trips, start=1) for pk in trip), start=1
        )
    )
    return route


# --- Driver's marks ---------------------------------------------------------------------------------------------


def driver_marks_receive(*, actor, organization, marks: list[dict]) -> list[dict]:
    """Apply the marks a phone sends, each in its own transaction, and answer for each: ``applied``,
    ``duplicate`` (this id was taken before: nothing changes) or ``refused`` with the reason."""
    if len(marks) > MAX_MARKS_PER_SYNC:
        raise DomainError(
            _("Send at most %(count)d marks at a time.") % {"count": MAX_MARKS_PER_SYNC},
            code="too_many_marks",
        )
    answers = []
    for mark in marks:
        mark_id = str(mark.get("id", "")) if isinstance(mark, dict) else ""
        try:
            status = _mark_apply(actor=actor, organization=organization, mark=mark)
        except DomainError as error:
            answers.append({"id": mark_id, "status": "refused", "message": str(error.message)})
        else:
            answers.append({"id": mark_id, "status": status, "message": ""})
    return answers


def _mark_apply(*, actor, organization, mark) -> str:
    if not isinstance(mark, dict):
        raise DomainError(_("A mark must be an object."), code="bad_mark")
    try:
        client_id = uuid.UUID(str(mark.get("id", "")))
    except ValueError as error:
        raise DomainError(_("A mark needs the id the phone made for it."), code="bad_mark_id") from error
    kind = mark.get("kind")
    if kind not in DriverEventKind.values:
        raise DomainError(_("Unknown kind of mark."), code="bad_mark_kind")
    recorded_at = parse_datetime(str(mark.get("at", ""))) or timezone.now()
    if timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at, organization_zone(organization))  # the phone's clock
    if DriverEvent.objects.filter(organization=organization, client_id=client_id).exists():
        return "duplicate"
    try:
        with stored_files_cleanup(), transaction.atomic():  # a mark refused after its photo leaves no file
            route = _route_for_mark(actor, organization, mark.get("route"))
            payload = {k: v for k, v in mark.items() if k not in ("id", "kind", "at", "route", "photo")}
            DriverEvent.objects.create(
                organization=organization,
                client_id=client_id,
                route=route,
                kind=kind,
                payload=payload,
                recorded_at=recorded_at,
                received_at=timezone.now(),
                received_from=actor,
            )
            APPLY[kind](actor=actor, route=route, mark=mark, at=recorded_at, client_id=client_id)
            # A stop marked, a trip's km or fuel, a load: all count on the route's (and its trip's) date.
            kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[route.date])
    except IntegrityError:  # the same id arrived at the same moment over another connection
        if DriverEvent.objects.filter(organization=organization, client_id=client_id).exists():
            return "duplicate"
        raise
    return "applied"


def _route_for_mark(actor, organization, route_id) -> Route:
    try:
        route = (
            Route.objects.select_for_update()
            .select_related("vehicle")
            .get(organization=organization, pk=int(route_id))
        )
    except (TypeError, ValueError, Route.DoesNotExist) as error:
        raise DomainError(_("This route does not exist (any more)."), code="unknown_route") from error
    if route.driver_id != actor.pk:
        require_permission(actor, organization, "fieldwork.manage")
    else:
        require_permission(actor, organization, "fieldwork.drive")
    return route


def _stop_of(route: Route, mark: dict) -> RouteStop:
    try:
        return RouteStop.objects.select_related("point").get(
            organization=route.organization_id, route=route, pk=int(mark.get("stop"))
        )
    except (TypeError, ValueError, RouteStop.DoesNotExist) as error:
        raise DomainError(_("This point is not on the route (any more)."), code="unknown_stop") from error


def _photo(data, client_id) -> ContentFile | None:
    """A photo the phone sent as a data URL (JPEG or PNG), re-encoded without its metadata (core.uploads)."""
    if not data:
        return None
    header, _sep, encoded = str(data).partition(",")
    if header not in ("data:image/jpeg;base64", "data:image/png;base64"):
        raise DomainError(_("The photo must be a JPEG or PNG picture."), code="bad_photo")
    if len(encoded) > MAX_PHOTO_BYTES * 4 // 3 + 4:
        raise DomainError(_("The photo is too large (3 MB at most)."), code="photo_too_large")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DomainError(_("The photo could not be read."), code="bad_photo") from error
    image = clean_image(
        raw, max_bytes=MAX_PHOTO_BYTES, max_pixels=MAX_PHOTO_PIXELS, longest_side=PHOTO_LONGEST_SIDE
    )
    return ContentFile(image.content, name=f"{client_id}.{image.extension}")


def _mark_stop(*, actor, route, mark, at, client_id, status) -> RouteStop:
    stop = _stop_of(route, mark)
    note = str(mark.get("note") or "").strip()[:500]
    if status == StopStatus.SKIPPED:
        reason = mark.get("reason")
        if reason not in SkipReason.values:
            raise DomainError(_("Say why the point was skipped."), code="no_skip_reason")
        stop.skip_reason = reason
    else:
        stop.skip_reason = ""
    photo = _photo(mark.get("photo"), client_id)
    stop.status = status
    stop.note = note
    stop.marked_at = at
    stop.marked_by = actor
    with stored_files_cleanup() as saved:
        if photo is not None:
            stop.photo.save(photo.name, photo, save=False)
            saved.append(stop.photo)
        if (
            status == StopStatus.SKIPPED
            and stop.skip_reason not in SKIPS_WITHOUT_REPORT
            and stop.report_id is None
        ):
            stop.report = _missed_pickup_report(route, stop, photo)
            if stop.report is not None and stop.report.photo:
                saved.append(stop.report.photo)
    stop._history_user = actor
    stop.save()
    if route.status == RouteStatus.PLANNED:
        _route_status(route, RouteStatus.STARTED, actor)
    return stop


def _missed_pickup_report(route: Route, stop: RouteStop, photo):
    """A skipped point leaves waste behind: it becomes a citizen report of the organization's "missed pickup" type,
    so it is followed up like one. Without such a type nothing is filed (the skip stays on the route)."""
    from khizmat.reports.choices import ReportSource
    from khizmat.reports.models import ReportType
    from khizmat.reports.services import report_create

    report_type = ReportType.objects.filter(
        organization=route.organization_id, code="missed-pickup", is_active=True
    ).first()
    if report_type is None:
        return None
    point = stop.point
    description = _("Not collected on %(date)s by %(vehicle)s: %(reason)s.") % {
        "date": route.date.isoformat(),
        "vehicle": route.vehicle.plate,
        "reason": stop.get_skip_reason_display(),
    }
    if stop.note:
        description = f"{description} {stop.note}"
    return report_create(
        organization=route.organization,
        report_type=report_type,
        source=ReportSource.CREW,
        latitude=point.latitude,
        longitude=point.longitude,
        address=f"{point.name} ({point.code})",
        description=description,
        photo=ContentFile(photo.read(), name=photo.name)
        if photo is not None and photo.seek(0) == 0
        else None,
    )


def _route_status(route: Route, status: str, actor) -> None:
    route.status = status
    route._history_user = actor
    route.save(update_fields=["status"])


def _trip_of(route: Route, actor) -> Trip:
    trip = Trip.objects.select_for_update().filter(organization=route.organization_id, route=route).first()
    if trip is None:
        trip = Trip(
            organization=route.organization, route=route, vehicle=route.vehicle, date=route.date, driver=actor
        )
        trip._history_user = actor
        trip.save()
    return trip


def _int_or_none(value, message):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise DomainError(message, code="bad_number") from error
    if number < 0:
        raise DomainError(message, code="bad_number")
    return number


def _decimal_or_none(value, message, *, places="0.1"):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal(places))
    except (InvalidOperation, ValueError) as error:
        raise DomainError(message, code="bad_number") from error
    if number < 0 or number > Decimal("99999"):
        raise DomainError(message, code="bad_number")
    return number


def _trip_start(*, actor, route, mark, at, client_id) -> None:
    trip = _trip_of(route, actor)
    trip.started_at = trip.started_at or at
    odometer = _int_or_none(mark.get("odometer"), _("The odometer reading must be a whole number of km."))
    if odometer is not None:
        # A start read after the trip's end was recorded (a second "start" from the phone's queue) must not put the
        # start beyond the end: the same rule as the end's, refused with the same explanation.
        if trip.odometer_end_km is not None and odometer > trip.odometer_end_km:
            raise DomainError(
                _("The odometer at the end (%(end)s km) is below the start (%(start)s km).")
                % {"end": trip.odometer_end_km, "start": odometer},
                code="odometer_backwards",
            )
        trip.odometer_start_km = odometer
        if trip.odometer_end_km is not None:
            trip.distance_km = Decimal(trip.odometer_end_km - odometer)
    trip._history_user = actor
    trip.save()
    if route.status == RouteStatus.PLANNED:
        _route_status(route, RouteStatus.STARTED, actor)


# Apps that account for the trip log (a municipal order's accepted acts) close months of it: a guard takes the
# organization and a local date and returns why a load dated that day is refused, or None. Registered by those apps at
# start-up (AppConfig.ready), so that field work does not depend on them.
LOAD_DATE_GUARDS: list[Callable[[object, datetime.date], str | None]] = []


def register_load_date_guard(guard: Callable[[object, datetime.date], str | None]) -> None:
    if guard not in LOAD_DATE_GUARDS:
        LOAD_DATE_GUARDS.append(guard)


def check_load_date(*, organization, day: datetime.date) -> None:
    """Refuse a load of the trip log dated into a month that another app has closed (e.g. its act is accepted)."""
    for guard in LOAD_DATE_GUARDS:
        reason = guard(organization, day)
        if reason:
            raise DomainError(reason, code="load_month_closed")


def _load(*, actor, route, mark, at, client_id) -> None:
    volume = _decimal_or_none(mark.get("volume_m3"), _("The volume must be a number of m³."), places="0.01")
    if volume is None or volume == 0 or volume > route.vehicle.capacity_m3 * 2:
        raise DomainError(_("The volume must be a number of m³ the truck can carry."), code="bad_volume")
    try:
        facility = Facility.objects.get(
            organization=route.organization_id,
            pk=int(mark.get("facility")),
            kind__in=(FacilityKind.LANDFILL, FacilityKind.TRANSFER),
        )
    except (TypeError, ValueError, Facility.DoesNotExist) as error:
        raise DomainError(
            _("Choose the landfill where the load was unloaded."), code="unknown_facility"
        ) from error
    organization = route.organization
    check_load_date(
        organization=organization,
        day=local_date(at, organization),
    )
    trip = _trip_of(route, actor)
    load = TripLoad(
        organization=route.organization, trip=trip, facility=facility, unloaded_at=at, volume_m3=volume
    )
    load._history_user = actor
    load.save()


def _trip_end(*, actor, route, mark, at, client_id) -> None:
    trip = _trip_of(route, actor)
    odometer = _int_or_none(mark.get("odometer"), _("The odometer reading must be a whole number of km."))
    fuel = _decimal_or_none(mark.get("fuel_litres"), _("The fuel must be a number of litres."))
    if odometer is not None:
        if trip.odometer_start_km is not None and odometer < trip.odometer_start_km:
            raise DomainError(
                _("The odometer at the end (%(end)s km) is below the start (%(start)s km).")
                % {"end": odometer, "start": trip.odometer_start_km},
                code="odometer_backwards",
            )
        trip.odometer_end_km = odometer
        if trip.odometer_start_km is not None:
            trip.distance_km = Decimal(odometer - trip.odometer_start_km)
    if fuel is not None:
        trip.fuel_litres = fuel
    trip.ended_at = at
    trip._history_user = actor
    trip.save()
    _route_status(route, RouteStatus.FINISHED, actor)


APPLY = {
    DriverEventKind.STOP_DONE: lambda **kw: _mark_stop(status=StopStatus.DONE, **kw),
    DriverEventKind.STOP_SKIPPED: lambda **kw: _mark_stop(status=StopStatus.SKIPPED, **kw),
    DriverEventKind.TRIP_START: _trip_start,
    DriverEventKind.LOAD: _load,
    DriverEventKind.TRIP_END: _trip_end,
}


def routes_draw_by_street(
    *, actor, organization, date: datetime.date, scope: str = PlanScope.SCHEDULED
) -> int:
    """Draw the day's routes the way dispatchers do by hand (:func:`dayplan.manual_trips`); returns how many."""
    require_permission(actor, organization, "fieldwork.manage")
    vehicles = dayplan.collecting_vehicles(organization=organization)
    if not vehicles:
        raise DomainError(_("Choose at least one vehicle in service."), code="no_vehicles")
    points = dayplan.points_for_day(organization=organization, date=date, scope=scope)
    if not points:
        raise DomainError(_("No collection point is due on that day."), code="no_points")
    drawn = dayplan.manual_trips(points, vehicles)
    with transaction.atomic():
        for vehicle in vehicles:
            if vehicle.pk in drawn:
                route_save(actor=actor, vehicle=vehicle, date=date, trips=drawn[vehicle.pk])
    return len(drawn)


# Temporary positions while a route is renumbered (the order is unique per route; the column is a small integer).
PARKED_SEQUENCE = 20_000
MOVING_SEQUENCE = 32_000


def _split_into_loads(stops: list[RouteStop], capacity_m3) -> None:
    """Number the loads of a route in order: a new load starts when the next point would overfill the truck."""
    number, load = 1, Decimal("0")
    for stop in stops:
        volume = stop.point.expected_m3
        if load and load + volume > capacity_m3:
            number, load = number + 1, Decimal("0")
        stop.trip_number = number
        load += volume


def _renumber(route: Route, stops: list[RouteStop]) -> None:
    """Write the route's stops in the given order (two passes: the order is unique per route)."""
    _split_into_loads(stops, route.vehicle.capacity_m3)
    for index, stop in enumerate(stops, start=1):
        stop.sequence = PARKED_SEQUENCE + index  # clear of the final numbers (a small integer column)
    RouteStop.objects.bulk_update(stops, ["sequence"])
    for index, stop in enumerate(stops, start=1):
        stop.sequence = index
    RouteStop.objects.bulk_update(stops, ["sequence", "trip_number"])


def _reprice(route: Route, actor) -> None:
    """The route was edited by hand: its distance and time again, with the planner's distances."""
    stops = list(
        RouteStop.objects.filter(organization=route.organization_id, route=route).order_by("sequence")
    )
    route.source = RouteSource.MANUAL
    route.planned_distance_m = route.planned_duration_s = None
    if stops:
        trips: dict[int, list[int]] = {}
        for stop in stops:
            trips.setdefault(stop.trip_number, []).append(stop.point_id)
        distance, duration = manual_routes_cost(
            route.organization, {route.vehicle: list(trips.values())}, shift_minutes=24 * 60
        )
        route.planned_distance_m, route.planned_duration_s = distance, duration
    route._history_user = actor
    route.save(update_fields=["source", "planned_distance_m", "planned_duration_s"])


@transaction.atomic
def route_stop_move(*, actor, stop: RouteStop, route: Route, position: int) -> RouteStop:
    """Move a point of a planned route to ``position`` (1 = first) of ``route`` (the same route or another truck's
    route of that day); both routes are re-split into loads and priced again."""
    organization = stop.route.organization
    require_permission(actor, organization, "fieldwork.manage")
    source = (
        Route.objects.select_for_update()
        .select_related("vehicle")
        .get(organization=organization, pk=stop.route_id)
    )
    target = (
        Route.objects.select_for_update()
        .select_related("vehicle")
        .get(organization=organization, pk=route.pk)
    )
    if target.date != source.date:
        raise DomainError(_("A point moves only between routes of the same day."), code="other_day")
    if source.status != RouteStatus.PLANNED or target.status != RouteStatus.PLANNED:
        raise DomainError(_("Only routes that have not started can be changed."), code="route_started")

    def ordered(r):
        return list(
            RouteStop.objects.filter(organization=organization, route=r)
            .select_related("point")
            .order_by("sequence")
        )

    kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[source.date])
    stop = next(s for s in ordered(source) if s.pk == stop.pk)
    remaining = [s for s in ordered(source) if s.pk != stop.pk]
    into = remaining if target.pk == source.pk else ordered(target)
    position = max(1, min(int(position), len(into) + 1))
    into.insert(position - 1, stop)
    stop._history_user = actor
    if target.pk != source.pk:
        stop.route = target
        stop.sequence = MOVING_SEQUENCE  # free in the target route until renumbered
        stop.save(update_fields=["route", "sequence"])
        _renumber(source, remaining)
        _reprice(source, actor)
    _renumber(target, into)
    _reprice(target, actor)
    return stop
