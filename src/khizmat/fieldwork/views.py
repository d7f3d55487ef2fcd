import datetime
import json

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from khizmat.core.errors import DomainError
from khizmat.core.uploads import request_limit, too_large_response
from khizmat.fieldwork import dayplan, selectors, services
from khizmat.fieldwork.choices import FacilityKind, PlanScope, RouteStatus, SkipReason
from khizmat.fieldwork.forms import (
    CrewMemberForm,
    DayForm,
    FuelRecordForm,
    MaintenanceRecordForm,
    MaintenanceRuleForm,
    PerformanceForm,
    PlanForm,
    StopMoveForm,
    VehicleForm,
    VehicleStatusForm,
)
from khizmat.fieldwork.models import (
    CrewMember,
    Facility,
    MaintenanceRule,
    PickupDay,
    Route,
    RoutePlan,
    RouteStop,
    Vehicle,
)
from khizmat.tenancy.actions import ObjectActionView
from khizmat.tenancy.localtime import activate_for
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin
from khizmat.tenancy.scoping import scope
from khizmat.tenancy.selectors import active_organization_by_code


class PickupScheduleView(View):
    """Public, no login: "when does the truck come to my street?" for one enterprise, found by street or village."""

    def get(self, request, org_code: str):
        organization = active_organization_by_code(org_code)
        if organization is None:
            raise Http404
        activate_for(organization)
        with scope(organization=[organization.pk]):
            if not PickupDay.objects.filter(organization=organization).exists():
                raise Http404
            query = request.GET.get("q", "").strip()[:100]
            lines = selectors.pickup_schedule(organization=organization, query=query)
            return render(
                request,
                "fieldwork/pickup_schedule.html",
                {"organization": organization, "lines": lines, "query": query},
            )


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


class DayRoutesView(MembershipRequiredMixin, View):
    """The dispatcher's day: the routes of a date, the plans made for it, and the "optimize" form."""

    permission = "fieldwork.view"

    def _day(self, request) -> datetime.date:
        form = DayForm(request.GET or None)
        return form.cleaned_data["date"] if form.is_bound and form.is_valid() else _tomorrow()

    def _render(self, request, date, form, status=200):
        organization = request.organization
        context = {
            "date": date,
            "form": form,
            "routes": selectors.routes_of_day(organization=organization, date=date),
            "plans": RoutePlan.objects.for_organization(organization).filter(date=date)[:5],
            "scheduled": len(
                dayplan.points_for_day(organization=organization, date=date, scope=PlanScope.SCHEDULED)
            ),
            "can_manage": request.membership.has_permission("fieldwork.manage"),
        }
        return render(request, "fieldwork/day_routes.html", context, status=status)

    def _vehicles(self, request):
        return Vehicle.objects.for_organization(request.organization).filter(
            pk__in=[v.pk for v in dayplan.collecting_vehicles(organization=request.organization)]
        )

    def get(self, request):
        date = self._day(request)
        form = PlanForm(initial={"date": date}, vehicles=self._vehicles(request))
        return self._render(request, date, form)

    def post(self, request):
        if not request.membership.has_permission("fieldwork.manage"):
            return render(request, "403.html", status=403)
        form = PlanForm(request.POST, vehicles=self._vehicles(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_request(
                    actor=request.user,
                    organization=request.organization,
                    date=data["date"],
                    scope=data["scope"],
                    vehicle_ids=[v.pk for v in data["vehicles"]],
                    max_seconds=data["max_seconds"],
                    shift_minutes=int(data["shift_hours"] * 60),
                    shift_start=data["shift_start"],
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                return redirect("fieldwork:routeplan_detail", pk=plan.pk)
        date = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
        return self._render(request, date or _tomorrow(), form, status=400)


class ManualRoutesView(MembershipRequiredMixin, View):
    """Draw the day's routes the usual way (street by street, shared by capacity): a starting point to adjust."""

    permission = "fieldwork.manage"

    def post(self, request):
        form = DayForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid day."))
            return redirect("fieldwork:day_routes")
        date = form.cleaned_data["date"]
        try:
            count = services.routes_draw_by_street(
                actor=request.user, organization=request.organization, date=date
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(count)d routes drawn street by street.") % {"count": count})
        return redirect(f"{reverse('fieldwork:day_routes')}?date={date.isoformat()}")


class PlanDetailView(TenantObjectMixin, DetailView):
    """A plan with its progress bar (htmx reloads it while the search runs), then its routes against the manual
    ones, on a map."""

    permission = "fieldwork.view"
    model = RoutePlan
    template_name = "fieldwork/routeplan_detail.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["fieldwork/partials/plan_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        plan = self.object
        rows = selectors.plan_routes(plan=plan) if plan.result else []
        return super().get_context_data(
            rows=rows,
            paths=[
                {"label": row["vehicle"].plate if row["vehicle"] else "", "path": row["path"]} for row in rows
            ],
            can_manage=self.request.membership.has_permission("fieldwork.manage"),
            **kwargs,
        )


class PlanApplyView(ObjectActionView):
    permission = "fieldwork.manage"
    model = RoutePlan
    success_message = gettext_lazy(
        "The day's routes were replaced by the plan; drivers see them on their phones."
    )

    def perform(self, plan, data):
        services.plan_apply(actor=self.request.user, plan=plan)

    def next_url(self, plan):
        return f"{reverse('fieldwork:day_routes')}?date={plan.date.isoformat()}"


class RouteDetailView(TenantObjectMixin, DetailView):
    """A route as the dispatcher follows it: the points in order with what the crew marked, and the trip log."""

    permission = "fieldwork.view"
    model = Route
    template_name = "fieldwork/route_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("vehicle", "driver", "plan")

    def get_context_data(self, **kwargs):
        route = self.object
        stops = list(selectors.route_stops(route=route))
        trip = route.trips.select_related("vehicle").prefetch_related("loads__facility").first()
        editable = route.status == RouteStatus.PLANNED and self.request.membership.has_permission(
            "fieldwork.manage"
        )
        day_routes = (
            Route.objects.for_organization(route.organization_id)
            .filter(date=route.date, status=RouteStatus.PLANNED)
            .select_related("vehicle")
            .order_by("vehicle__plate")
            if editable
            else []
        )
        return super().get_context_data(
            stops=stops,
            trip=trip,
            editable=editable,
            day_routes=day_routes,
            path=[[float(s.point.latitude), float(s.point.longitude)] for s in stops],
            **kwargs,
        )


class RouteStopPhotoView(TenantObjectMixin, View):
    """The photo a crew took at a point, for those who follow the routes (media files are not served publicly)."""

    permission = "fieldwork.view"
    model = RouteStop

    def get(self, request, pk):
        stop = get_object_or_404(self.get_queryset(), pk=pk)
        if not stop.photo:
            raise Http404
        try:
            return FileResponse(
                stop.photo.open("rb"),
                content_type="image/png" if stop.photo.name.endswith(".png") else "image/jpeg",
            )
        except FileNotFoundError as error:
            raise Http404 from error


class RouteStopMoveView(ObjectActionView):
    """The dispatcher moves a point within its route or to another truck's route of the same day."""

    permission = "fieldwork.manage"
    model = RouteStop
    form_class = StopMoveForm
    invalid_message = gettext_lazy("Choose a route and a position (1 is the first point).")
    success_message = gettext_lazy(
        "The point was moved; both routes were split into loads and measured again."
    )

    def perform(self, stop, data):
        route = Route.objects.for_organization(self.request.organization).filter(pk=data["route"]).first()
        if route is None:
            raise DomainError(_("This route does not exist (any more)."), code="unknown_route")
        self.moved_to = route
        services.route_stop_move(actor=self.request.user, stop=stop, route=route, position=data["position"])

    def next_url(self, stop):
        return reverse("fieldwork:route_detail", args=[getattr(self, "moved_to", stop.route).pk])


class VehiclePerformanceView(MembershipRequiredMixin, View):
    """Per vehicle over a period: trips, km, loads, load factor, fuel against its norm, with the deviations."""

    permission = "fieldwork.view"

    def get(self, request):
        today = timezone.localdate()
        default = {"start": today.replace(day=1) - datetime.timedelta(days=62), "end": today}
        form = PerformanceForm(request.GET or default)
        rows, status = [], 200
        if form.is_valid():
            rows = selectors.vehicle_performance(
                organization=request.organization,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        else:
            status = 400
        return render(
            request, "fieldwork/vehicle_performance.html", {"form": form, "rows": rows}, status=status
        )


class DriverHomeView(MembershipRequiredMixin, View):
    """The driver's phone: today's routes (and tomorrow's, to look ahead)."""

    permission = "fieldwork.drive"

    def get(self, request):
        today = timezone.localdate()
        routes = [
            (
                day,
                list(
                    selectors.routes_of_driver(organization=request.organization, user=request.user, date=day)
                ),
            )
            for day in (today, today + datetime.timedelta(days=1))
        ]
        return render(request, "fieldwork/driver_home.html", {"days": routes})


class DriverRouteView(TenantObjectMixin, DetailView):
    """One route on the driver's phone: the points on a map and in a list, with "done" and "skipped" buttons that
    work without a connection (see static/fieldwork/driver.js)."""

    permission = "fieldwork.drive"
    model = Route
    template_name = "fieldwork/driver_route.html"

    def get_queryset(self):
        return super().get_queryset().select_related("vehicle")

    def get_object(self, queryset=None):
        route = super().get_object(queryset)
        if route.driver_id != self.request.user.pk and not self.request.membership.has_permission(
            "fieldwork.manage"
        ):
            raise Http404
        return route

    def get_context_data(self, **kwargs):
        route = self.object
        stops = list(selectors.route_stops(route=route))
        landfills = Facility.objects.for_organization(route.organization_id).filter(
            kind__in=(FacilityKind.LANDFILL, FacilityKind.TRANSFER), is_active=True
        )
        data = {
            "route": route.pk,
            "syncUrl": reverse("fieldwork:driver_sync"),
            "maxRequestBytes": request_limit("application/json"),
            "capacity": str(route.vehicle.capacity_m3),
            "stops": [
                {
                    "id": s.pk,
                    "seq": s.sequence,
                    "trip": s.trip_number,
                    "code": s.point.code,
                    "name": s.point.name,
                    "lat": float(s.point.latitude),
                    "lng": float(s.point.longitude),
                    "status": s.status,
                    "m3": str(s.point.expected_m3),
                }
                for s in stops
            ],
            "landfills": [{"id": f.pk, "name": f.name} for f in landfills],
        }
        return super().get_context_data(
            stops=stops, data=data, reasons=SkipReason.choices, landfills=landfills, **kwargs
        )


class DriverSyncView(MembershipRequiredMixin, View):
    """Marks sent from the phone (JSON ``{"marks": [...]}``): each applied once, whatever how often it arrives."""

    permission = "fieldwork.drive"

    def post(self, request):
        try:
            if request.content_type == "application/json":
                body = json.loads(request.body or b"{}")
            else:  # a form post carries the marks as one JSON field
                body = {"marks": json.loads(request.POST.get("marks") or "[]")}
        except (
            RequestDataTooBig
        ):  # sent without a length: core.uploads' middleware could not refuse it earlier
            return too_large_response(request, request_limit(request.content_type or ""))
        except (ValueError, UnicodeDecodeError):
            return JsonResponse({"error": _("The request is not valid JSON.")}, status=400)
        marks = body.get("marks", []) if isinstance(body, dict) else None
        if not isinstance(marks, list):
            return JsonResponse({"error": _("Send the marks as a list.")}, status=400)
        try:
            answers = services.driver_marks_receive(
                actor=request.user, organization=request.organization, marks=marks
            )
        except DomainError as error:
            return JsonResponse({"error": str(error.message)}, status=400)
        return JsonResponse({"results": answers})


# --- Fleet: vehicles, their crews, maintenance plan and log, fuel ------------------------------------------------------


class FleetView(MembershipRequiredMixin, View):
    """Every vehicle with its status, odometer, drivers and the most urgent service of its plan."""

    permission = "fieldwork.view"

    def get(self, request):
        include_written_off = request.GET.get("all") == "1"
        rows = selectors.fleet(organization=request.organization, include_written_off=include_written_off)
        return render(
            request,
            "fieldwork/fleet.html",
            {
                "rows": rows,
                "include_written_off": include_written_off,
                "due": [d for row in rows for d in row.due if d.state != "ok"],
                "can_manage": request.membership.has_permission("fieldwork.manage"),
            },
        )


class VehicleDetailView(TenantObjectMixin, DetailView):
    permission = "fieldwork.view"
    model = Vehicle
    template_name = "fieldwork/vehicle_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("equipment__funder_project")

    def get_context_data(self, **kwargs):
        vehicle = self.object
        organization = self.request.organization
        readings = selectors.odometers(organization_id=organization.pk, vehicle_ids=[vehicle.pk])
        return super().get_context_data(
            reading=readings.get(vehicle.pk),
            due=selectors.maintenance_due(
                organization=organization, vehicle_ids=[vehicle.pk], readings=readings
            ),
            rules=vehicle.maintenance_rules.order_by("-is_active", "name"),
            services=vehicle.services.select_related("rule").order_by("-date", "-pk")[:50],
            fuel=vehicle.fuel_records.order_by("-date", "-pk")[:50],
            crew=vehicle.crew.select_related("user").order_by("-is_active", "position", "name"),
            status_changes=vehicle.equipment.status_changes.select_related("changed_by").order_by(
                "-changed_at"
            )[:20],
            history=vehicle.history.select_related("history_user").order_by("-history_date")[:20],
            status_form=VehicleStatusForm(initial={"status": vehicle.equipment.status}),
            can_manage=self.request.membership.has_permission("fieldwork.manage"),
            **kwargs,
        )


def _vehicle_initial(vehicle: Vehicle) -> dict:
    equipment = vehicle.equipment
    return {
        "make_model": equipment.model if equipment.model != vehicle.plate else "",
        "funder_project": equipment.funder_project_id,
        "serial_number": equipment.serial_number,
        "inventory_number": equipment.inventory_number,
        "cost": equipment.cost,
        "currency": equipment.currency,
        "delivery_date": equipment.delivery_date,
    }


class VehicleFormView(MembershipRequiredMixin, View):
    """Add a vehicle (``pk`` absent) or change one: its own fields and its equipment record's, in one service call."""

    permission = "fieldwork.manage"
    model = Vehicle

    def _vehicle(self, pk):
        if pk is None:
            return None
        return get_object_or_404(
            Vehicle.objects.for_organization(self.request.organization).select_related("equipment"), pk=pk
        )

    def _render(self, request, form, vehicle, status=200):
        return render(
            request, "fieldwork/vehicle_form.html", {"form": form, "object": vehicle}, status=status
        )

    def get(self, request, pk=None):
        vehicle = self._vehicle(pk)
        form = VehicleForm(instance=vehicle, initial=_vehicle_initial(vehicle) if vehicle else None)
        return self._render(request, form, vehicle)

    def post(self, request, pk=None):
        vehicle = self._vehicle(pk)
        form = VehicleForm(request.POST, instance=vehicle)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if vehicle is not None and not data["inventory_number"]:
                del data["inventory_number"]  # kept as it is
            try:
                if vehicle is None:
                    vehicle = services.vehicle_create(
                        actor=request.user, organization=request.organization, **data
                    )
                else:
                    vehicle = services.vehicle_update(actor=request.user, vehicle=vehicle, **data)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The vehicle %(plate)s is saved.") % {"plate": vehicle.plate})
                return redirect("fieldwork:vehicle_detail", pk=vehicle.pk)
        return self._render(request, form, vehicle, status=400)


class VehicleStatusView(ObjectActionView):
    permission = "fieldwork.manage"
    model = Vehicle
    form_class = VehicleStatusForm
    invalid_message = gettext_lazy("Choose the status and say why it changes.")
    success_message = gettext_lazy("The vehicle's status is changed.")

    def perform(self, obj, data):
        services.vehicle_status_change(
            actor=self.request.user, vehicle=obj, status=data["status"], reason=data["reason"]
        )

    def next_url(self, obj):
        return reverse("fieldwork:vehicle_detail", args=[obj.pk])


class VehicleEntryView(MembershipRequiredMixin, View):
    """One form page for what is recorded on a vehicle (log entry, refuelling, plan service, crew member): the form
    reads the input, ``save`` hands it to the service, which checks every rule. The URL's ``pk`` is the vehicle's
    (``model = Vehicle``: a new entry) or, with ``model`` set to the entry's model, the entry's (changing it)."""

    permission = "fieldwork.manage"
    model = Vehicle
    form_class = None
    title = ""

    def form_kwargs(self, vehicle) -> dict:
        return {}

    def save(self, vehicle, entry, data):
        raise NotImplementedError

    def _objects(self, pk):
        found = get_object_or_404(self.model.objects.for_organization(self.request.organization), pk=pk)
        if isinstance(found, Vehicle):
            return found, None
        return found.vehicle, found

    def _render(self, request, form, vehicle, status=200):
        context = {"form": form, "vehicle": vehicle, "title": self.title}
        return render(request, "fieldwork/vehicle_entry_form.html", context, status=status)

    def get(self, request, pk):
        vehicle, entry = self._objects(pk)
        form = self.form_class(instance=entry, **self.form_kwargs(vehicle))
        return self._render(request, form, vehicle)

    def post(self, request, pk):
        vehicle, entry = self._objects(pk)
        form = self.form_class(request.POST, instance=entry, **self.form_kwargs(vehicle))
        if form.is_valid():
            try:
                self.save(vehicle, entry, form.cleaned_data)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Saved."))
                return redirect("fieldwork:vehicle_detail", pk=vehicle.pk)
        return self._render(request, form, vehicle, status=400)


class MaintenanceRecordView(VehicleEntryView):
    form_class = MaintenanceRecordForm
    title = gettext_lazy("Record maintenance")

    def form_kwargs(self, vehicle):
        return {"vehicle": vehicle}

    def save(self, vehicle, entry, data):
        services.maintenance_record(actor=self.request.user, vehicle=vehicle, **data)


class FuelRecordView(VehicleEntryView):
    form_class = FuelRecordForm
    title = gettext_lazy("Record refuelling")

    def save(self, vehicle, entry, data):
        services.fuel_record_create(actor=self.request.user, vehicle=vehicle, **data)


class MaintenanceRuleView(VehicleEntryView):
    form_class = MaintenanceRuleForm
    title = gettext_lazy("Service of the maintenance plan")

    def save(self, vehicle, entry, data):
        services.maintenance_rule_save(actor=self.request.user, vehicle=vehicle, rule=entry, **data)


class CrewMemberView(VehicleEntryView):
    form_class = CrewMemberForm
    title = gettext_lazy("Crew member")

    def form_kwargs(self, vehicle):
        return {"organization": vehicle.organization}

    def save(self, vehicle, entry, data):
        services.crew_member_save(actor=self.request.user, vehicle=vehicle, member=entry, **data)


class MaintenanceRuleEditView(MaintenanceRuleView):
    model = MaintenanceRule


class CrewMemberEditView(CrewMemberView):
    model = CrewMember
