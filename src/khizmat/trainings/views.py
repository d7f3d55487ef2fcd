"""Pages of trainings and events: the list with filters and counts by sex, an event with its participants
(attendance toggled with htmx), materials and the participant list import.

Events are read among the organizations the membership may see (a monitor: its coverage); participants' names and
phones show only to the organizer's own members with ``trainings.people`` (``selectors.may_see_people``). Every
write goes through ``services.py`` / ``imports.py``.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from khizmat.core.errors import DomainError
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin
from khizmat.trainings import imports, selectors, services
from khizmat.trainings.choices import EventStatus, ImportStatus, ImportTask
from khizmat.trainings.forms import EventFilterForm, EventForm, MaterialForm, ParticipantForm
from khizmat.trainings.forms_imports import ParticipantImportUploadForm
from khizmat.trainings.models import Event, EventMaterial, Participant, ParticipantImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _form_errors(form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return " ".join(parts)


def _takes_attendance(event) -> bool:
    return event.status != EventStatus.CANCELLED and event.start_date <= local_today(event.organization)


class VisibleObjectMixin(MembershipRequiredMixin):
    """Read-only pages with an id: the object is looked up among the organizations the membership may see (a
    monitor's coverage, everyone else's own organization); another id is 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.filter(organization_id__in=self.request.visible_organization_ids)


# --- Events ----------------------------------------------------------------------------------------------------------


class EventListView(MembershipRequiredMixin, View):
    permission = "trainings.view"

    def get(self, request):
        form = EventFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        organization_ids = request.visible_organization_ids
        events = selectors.event_list(
            organization_ids=organization_ids,
            kind=filters.get("kind") or "",
            funder_project=filters.get("funder_project"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )[:500]
        counts = selectors.participant_counts(
            organization_ids=organization_ids,
            funder_project=filters.get("funder_project"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            kind=filters.get("kind") or None,
        )
        by_event = {row.event_id: row.counts for row in counts.events}
        rows = [(event, by_event.get(event.pk)) for event in events]
        context = {
            "form": form,
            "rows": rows,
            "totals": counts.totals,
            "by_organization": counts.by_organization[:50],
            "can_manage": request.membership.has_permission("trainings.manage"),
        }
        template = "trainings/partials/event_table.html" if request.htmx else "trainings/event_list.html"
        return render(request, template, context)


class EventAddView(MembershipRequiredMixin, View):
    permission = "trainings.manage"
    template_name = "trainings/event_form.html"

    def get(self, request):
        form = EventForm(organization=request.organization)
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = EventForm(request.POST, organization=request.organization)
        if form.is_valid():
            try:
                event = services.event_create(
                    actor=request.user, organization=request.organization, **form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("trainings:event_detail", pk=event.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class EventEditView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = Event
    template_name = "trainings/event_form.html"

    def _initial(self, event):
        return {
            **{name: getattr(event, name) for name in services.EVENT_FIELDS},
            "participating_organizations": list(event.participating_organizations.all()),
        }

    def get(self, request, pk):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        form = EventForm(initial=self._initial(event), organization=request.organization)
        return render(request, self.template_name, {"form": form, "event": event})

    def post(self, request, pk):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        form = EventForm(request.POST, organization=request.organization)
        if form.is_valid():
            data = dict(form.cleaned_data)
            organizations = data.pop("participating_organizations")
            try:
                services.event_update(
                    actor=request.user, event=event, participating_organizations=organizations, **data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("trainings:event_detail", pk=event.pk)
        return render(request, self.template_name, {"form": form, "event": event}, status=400)


class EventDetailView(VisibleObjectMixin, View):
    """An event: its facts, counts by sex and materials for everyone who may read it; its participants (names,
    organizations, positions, phones, attendance) only for the organizer's own members (``may_see_people``)."""

    permission = "trainings.view"
    model = Event

    def get(self, request, pk):
        event = get_object_or_404(
            self.get_queryset().select_related("organization__country", "settlement", "funder_project"), pk=pk
        )
        own = event.organization_id == request.organization.pk
        show_people = selectors.may_see_people(request.membership, event)
        can_manage = own and request.membership.has_permission("trainings.manage")
        context = {
            "event": event,
            "participating": event.participating_organizations.order_by("name"),
            "counts": selectors.event_counts(event=event),
            "materials": selectors.material_list(event=event),
            "show_people": show_people,
            "participants": selectors.participant_list(event=event) if show_people else [],
            "can_manage": can_manage,
            "takes_attendance": _takes_attendance(event),
            "material_form": MaterialForm() if can_manage else None,
        }
        return render(request, "trainings/event_detail.html", context)


# --- Participants ----------------------------------------------------------------------------------------------------


class ParticipantAddView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = Event
    template_name = "trainings/participant_form.html"

    def get(self, request, pk):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        return render(request, self.template_name, {"form": ParticipantForm(event=event), "event": event})

    def post(self, request, pk):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        form = ParticipantForm(request.POST, event=event)
        if form.is_valid():
            try:
                participant = services.participant_add(actor=request.user, event=event, **form.cleaned_data)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": participant.full_name})
                if "another" in request.POST:
                    return redirect("trainings:participant_add", pk=event.pk)
                return redirect("trainings:event_detail", pk=event.pk)
        return render(request, self.template_name, {"form": form, "event": event}, status=400)


class ParticipantEditView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = Participant
    template_name = "trainings/participant_form.html"

    def get(self, request, pk):
        participant = get_object_or_404(self.get_queryset().select_related("event"), pk=pk)
        initial = {name: getattr(participant, name) for name in services.PARTICIPANT_FIELDS}
        form = ParticipantForm(initial=initial, event=participant.event)
        context = {"form": form, "event": participant.event, "participant": participant}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        participant = get_object_or_404(self.get_queryset().select_related("event"), pk=pk)
        form = ParticipantForm(request.POST, event=participant.event)
        if form.is_valid():
            try:
                services.participant_update(actor=request.user, participant=participant, **form.cleaned_data)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The participant is saved."))
                return redirect("trainings:event_detail", pk=participant.event_id)
        context = {"form": form, "event": participant.event, "participant": participant}
        return render(request, self.template_name, context, status=400)


class ParticipantAttendanceView(TenantObjectMixin, View):
    """Mark a participant present (``attended=1``) or absent; htmx gets the participant's row back."""

    permission = "trainings.manage"
    model = Participant

    def post(self, request, pk):
        participant = get_object_or_404(self.get_queryset().select_related("event"), pk=pk)
        attended = request.POST.get("attended") in ("1", "true", "on")
        error = None
        try:
            participant = services.participant_set_attendance(
                actor=request.user, participant=participant, attended=attended
            )
        except DomainError as refused:
            error = refused.message
        if request.htmx:
            event = participant.event
            context = {
                "p": participant,
                "event": event,
                "can_manage": True,
                "takes_attendance": _takes_attendance(event),
                "error": error,
            }
            response = render(request, "trainings/partials/participant_row.html", context)
            response["HX-Trigger"] = "attendance-changed"
            return response
        if error:
            messages.error(request, error)
        return redirect("trainings:event_detail", pk=participant.event_id)


class ParticipantRemoveView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = Participant

    def post(self, request, pk):
        participant = get_object_or_404(self.get_queryset(), pk=pk)
        event_id = participant.event_id
        try:
            services.participant_remove(actor=request.user, participant=participant)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The participant is removed."))
        return redirect("trainings:event_detail", pk=event_id)


class EventCountsView(VisibleObjectMixin, View):
    """The event's counts by sex (htmx refreshes them after an attendance toggle)."""

    permission = "trainings.view"
    model = Event

    def get(self, request, pk):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        return render(
            request,
            "trainings/partials/event_counts.html",
            {"event": event, "counts": selectors.event_counts(event=event)},
        )


# --- Materials -------------------------------------------------------------------------------------------------------


class MaterialAddView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = Event

    def post(self, request, pk):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        form = MaterialForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
        else:
            try:
                services.material_add(
                    actor=request.user,
                    event=event,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The material is added."))
        return redirect(reverse("trainings:event_detail", args=[event.pk]) + "#materials")


class MaterialDownloadView(VisibleObjectMixin, View):
    """A material's file, after the tenant and permission checks (stored files are not public)."""

    permission = "trainings.view"
    model = EventMaterial

    def get(self, request, pk):
        material = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            handle = material.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        extension = material.file.name.rsplit(".", 1)[-1]
        safe = "".join(c if c.isalnum() else "-" for c in material.title)[:60] or "material"
        return FileResponse(
            handle, content_type=material.content_type, as_attachment=True, filename=f"{safe}.{extension}"
        )


class MaterialRemoveView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = EventMaterial

    def post(self, request, pk):
        material = get_object_or_404(self.get_queryset(), pk=pk)
        event_id = material.event_id
        services.material_remove(actor=request.user, material=material)
        messages.success(request, _("The material is removed."))
        return redirect(reverse("trainings:event_detail", args=[event_id]) + "#materials")


# --- Participant list import -----------------------------------------------------------------------------------------


class ParticipantTemplateView(MembershipRequiredMixin, View):
    """The empty participant list to fill in, with its headers in the user's language."""

    permission = "trainings.manage"

    def get(self, request):
        return _xlsx_response(imports.participant_template_xlsx(), "participants-template.xlsx")


class ParticipantImportAddView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = Event
    template_name = "trainings/participantimport_add.html"

    def _render(self, request, event, form, status=200):
        records = (
            ParticipantImport.objects.for_organization(request.organization)
            .filter(event=event)
            .defer("content")
            .select_related("uploaded_by")[:20]
        )
        context = {"event": event, "form": form, "imports": records, "fields": imports.FIELDS}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(
            request, get_object_or_404(self.get_queryset(), pk=pk), ParticipantImportUploadForm()
        )

    def post(self, request, pk):
        event = get_object_or_404(self.get_queryset(), pk=pk)
        form = ParticipantImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = imports.participant_import_upload(
                    actor=request.user, event=event, upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                return redirect("trainings:participantimport_detail", pk=record.pk)
        return self._render(request, event, form, status=400)


def _records(view):
    return view.get_queryset().defer("content").select_related("uploaded_by", "event")


def _render_import(request, record, *, error=None, status=200):
    errors = record.errors or []
    columns = [(item, record.columns.get(item.name)) for item in imports.FIELDS]
    context = {
        "object": record,
        "event": record.event,
        "error": error,
        "columns": [(item, record.headers[index] if index is not None else None) for item, index in columns],
        "preview_headers": record.headers,
        "preview": record.preview if record.status != ImportStatus.IMPORTED else [],
        "import_errors": errors if not record.task else [],
        "running": bool(record.task),
        "can_import": record.status == ImportStatus.CHECKED
        and not errors
        and record.row_count > 0
        and not record.task,
        "is_imported": record.status == ImportStatus.IMPORTED,
    }
    return render(request, "trainings/participantimport_detail.html", context, status=status)


class ParticipantImportDetailView(TenantObjectMixin, View):
    """One uploaded list: the columns found, the check's result (every error, read from the record) and the import
    button once the check found none."""

    permission = "trainings.manage"
    model = ParticipantImport

    def get(self, request, pk):
        return _render_import(request, get_object_or_404(_records(self), pk=pk))


class ParticipantImportProgressView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = ParticipantImport

    def get(self, request, pk):
        record = get_object_or_404(self.get_queryset().only("pk", "organization", "task", "progress"), pk=pk)
        if not record.task:
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "trainings/partials/import_progress.html", {"object": record})


class ParticipantImportCommitView(TenantObjectMixin, View):
    """Import a checked file: all rows or none, in the background."""

    permission = "trainings.manage"
    model = ParticipantImport

    def post(self, request, pk):
        record = get_object_or_404(_records(self), pk=pk)
        step = ImportTask.CHECK if request.POST.get("action") == "check" else ImportTask.IMPORT
        try:
            imports.participant_import_start(actor=request.user, record=record, step=step)
        except DomainError as error:
            return _render_import(request, record, error=error.message, status=400)
        return redirect("trainings:participantimport_detail", pk=record.pk)


class ParticipantImportErrorsView(TenantObjectMixin, View):
    permission = "trainings.manage"
    model = ParticipantImport

    def get(self, request, pk):
        record = get_object_or_404(self.get_queryset().defer("content"), pk=pk)
        filename = f"participants-import-{record.pk}-errors.xlsx"
        return _xlsx_response(imports.participant_import_errors_xlsx(record), filename)


urlpatterns = [
    path("trainings/", EventListView.as_view(), name="event_list"),
    path("trainings/add/", EventAddView.as_view(), name="event_add"),
    path("trainings/template.xlsx", ParticipantTemplateView.as_view(), name="participant_template"),
    path("trainings/<int:pk>/", EventDetailView.as_view(), name="event_detail"),
    path("trainings/<int:pk>/edit/", EventEditView.as_view(), name="event_edit"),
    path("trainings/<int:pk>/counts/", EventCountsView.as_view(), name="event_counts"),
    path("trainings/<int:pk>/participants/add/", ParticipantAddView.as_view(), name="participant_add"),
    path("trainings/<int:pk>/materials/add/", MaterialAddView.as_view(), name="material_add"),
    path("trainings/<int:pk>/import/", ParticipantImportAddView.as_view(), name="participantimport_add"),
    path("trainings/participants/<int:pk>/edit/", ParticipantEditView.as_view(), name="participant_edit"),
    path(
        "trainings/participants/<int:pk>/attendance/",
        ParticipantAttendanceView.as_view(),
        name="participant_attendance",
    ),
    path(
        "trainings/participants/<int:pk>/remove/", ParticipantRemoveView.as_view(), name="participant_remove"
    ),
    path("trainings/materials/<int:pk>/", MaterialDownloadView.as_view(), name="material_download"),
    path("trainings/materials/<int:pk>/remove/", MaterialRemoveView.as_view(), name="material_remove"),
    path(
        "trainings/imports/<int:pk>/", ParticipantImportDetailView.as_view(), name="participantimport_detail"
    ),
    path(
        "trainings/imports/<int:pk>/progress/",
        ParticipantImportProgressView.as_view(),
        name="participantimport_progress",
    ),
    path(
        "trainings/imports/<int:pk>/import/",
        ParticipantImportCommitView.as_view(),
        name="participantimport_commit",
    ),
    path(
        "trainings/imports/<int:pk>/errors/",
        ParticipantImportErrorsView.as_view(),
        name="participantimport_errors",
    ),
]
