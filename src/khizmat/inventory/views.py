"""Pages of the equipment inventory: the list with filters, a unit's page with its status history, adding and
editing, handover acts with their PDF (made in the background), and the import of a supplier's spreadsheet.

Reading pages show the equipment of the organizations the membership sees (its own; a monitor's region or funded
centres); writing pages act on the active organization's rows only, through the services.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from khizmat.core.errors import DomainError
from khizmat.documents.services import document_request
from khizmat.inventory import documents, imports, selectors, services
from khizmat.inventory.choices import EquipmentStatus, EquipmentType, ImportStatus, ImportTask
from khizmat.inventory.forms import (
    EquipmentFilterForm,
    EquipmentForm,
    EquipmentImportUploadForm,
    EquipmentStatusForm,
    HandoverActForm,
)
from khizmat.inventory.models import Equipment, EquipmentImport, HandoverAct
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin
from khizmat.tenancy.models import Organization

VIEW, MANAGE = "inventory.view", "inventory.manage"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


class VisibleObjectMixin(TenantObjectMixin):
    """Reading an object: among the rows of the organizations the membership sees (a monitor's too), else 404."""

    def get_queryset(self):
        return self.model.objects.filter(organization_id__in=self.request.visible_organization_ids)


def _can_manage(request, organization_id=None) -> bool:
    own = organization_id is None or organization_id == request.organization.pk
    return own and request.membership.has_permission(MANAGE)


# --- Equipment --------------------------------------------------------------------------------------------------


class EquipmentListView(MembershipRequiredMixin, View):
    permission = VIEW

    def get(self, request):
        form = EquipmentFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = selectors.equipment_list(
            organization_ids=request.visible_organization_ids,
            type=filters.get("type") or "",
            status=filters.get("status") or "",
            funder_project=filters.get("funder_project"),
            query=filters.get("q") or "",
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page_obj": page,
            "object_list": page.object_list,
            "query": query.urlencode(),
            "several": len(request.visible_organization_ids) > 1,
            "can_manage": _can_manage(request),
        }
        template = (
            "inventory/partials/equipment_table.html" if request.htmx else "inventory/equipment_list.html"
        )
        return render(request, template, context)


def _equipment_form_page(request, form, *, equipment=None, status=200):
    return render(
        request, "inventory/equipment_form.html", {"form": form, "object": equipment}, status=status
    )


class EquipmentAddView(MembershipRequiredMixin, View):
    permission = MANAGE

    def get(self, request):
        return _equipment_form_page(request, EquipmentForm())

    def post(self, request):
        form = EquipmentForm(request.POST)
        if form.is_valid():
            try:
                equipment = services.equipment_create(
                    actor=request.user, organization=request.organization, **form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(
                    request,
                    _("The equipment is registered as № %(number)s.")
                    % {"number": equipment.inventory_number},
                )
                return redirect("inventory:equipment_detail", pk=equipment.pk)
        return _equipment_form_page(request, form, status=400)


class EquipmentDetailView(VisibleObjectMixin, View):
    """A unit with its status history and, for its organization's managers, the status change form."""

    permission = VIEW
    model = Equipment

    def get(self, request, pk, form=None, status=200):
        equipment = get_object_or_404(
            self.get_queryset().select_related("organization", "funder_project", "handover_act"), pk=pk
        )
        can_manage = _can_manage(request, equipment.organization_id)
        vehicle = equipment.vehicles.first() if equipment.type == EquipmentType.VEHICLE else None
        return render(
            request,
            "inventory/equipment_detail.html",
            {
                "object": equipment,
                "vehicle": vehicle,
                "changes": selectors.equipment_status_history(equipment=equipment),
                "can_manage": can_manage and not equipment.is_written_off,
                "status_form": form or (EquipmentStatusForm() if can_manage else None),
            },
            status=status,
        )


class EquipmentEditView(TenantObjectMixin, View):
    permission = MANAGE
    model = Equipment

    def get(self, request, pk):
        equipment = get_object_or_404(self.get_queryset(), pk=pk)
        return _equipment_form_page(
            request, EquipmentForm(initial=EquipmentForm.initial_for(equipment)), equipment=equipment
        )

    def post(self, request, pk):
        equipment = get_object_or_404(self.get_queryset(), pk=pk)
        form = EquipmentForm(request.POST)
        if form.is_valid():
            try:
                services.equipment_update(actor=request.user, equipment=equipment, **form.cleaned_data)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("inventory:equipment_detail", pk=equipment.pk)
        return _equipment_form_page(request, form, equipment=equipment, status=400)


class EquipmentStatusView(TenantObjectMixin, View):
    """Change a unit's status with the reason (POST from its page)."""

    permission = MANAGE
    model = Equipment

    def post(self, request, pk):
        equipment = get_object_or_404(self.get_queryset(), pk=pk)
        form = EquipmentStatusForm(request.POST)
        if form.is_valid():
            try:
                services.equipment_status_change(
                    actor=request.user,
                    equipment=equipment,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The status is changed."))
                return redirect("inventory:equipment_detail", pk=equipment.pk)
        page = EquipmentDetailView()
        page.setup(request, pk=pk)
        return page.get(request, pk, form=form, status=400)


class EquipmentSummaryView(MembershipRequiredMixin, View):
    """Equipment per organization and type: counts, cost per currency, counts by status (what funders report)."""

    permission = VIEW

    def get(self, request):
        form = EquipmentFilterForm(request.GET or None)
        project = form.cleaned_data.get("funder_project") if form.is_valid() else None
        rows = selectors.equipment_summary(
            organization_ids=request.visible_organization_ids, funder_project=project
        )
        names = dict(
            Organization.objects.filter(pk__in={r.organization_id for r in rows}).values_list("pk", "name")
        )
        labels = dict(Equipment._meta.get_field("type").choices)
        return render(
            request,
            "inventory/equipment_summary.html",
            {
                "form": form,
                "rows": [
                    {
                        "organization": names.get(r.organization_id, ""),
                        "type": labels.get(r.type, r.type),
                        "row": r,
                    }
                    for r in rows
                ],
                "totals": selectors.equipment_totals(rows),
                "statuses": EquipmentStatus.choices,
            },
        )


# --- Handover acts ----------------------------------------------------------------------------------------------


class HandoverActListView(MembershipRequiredMixin, View):
    permission = VIEW

    def get(self, request):
        acts = selectors.handover_act_list(organization_ids=request.visible_organization_ids)[:200]
        return render(
            request,
            "inventory/handoveract_list.html",
            {
                "acts": acts,
                "can_manage": _can_manage(request),
                "several": len(request.visible_organization_ids) > 1,
            },
        )


class HandoverActAddView(MembershipRequiredMixin, View):
    permission = MANAGE

    def _items(self, request):
        return selectors.equipment_without_act(organization=request.organization).order_by(
            "type", "inventory_number"
        )

    def _render(self, request, form, status=200):
        return render(request, "inventory/handoveract_form.html", {"form": form}, status=status)

    def get(self, request):
        return self._render(
            request, HandoverActForm(items=self._items(request), initial={"date": timezone.localdate()})
        )

    def post(self, request):
        form = HandoverActForm(request.POST, items=self._items(request))
        if form.is_valid():
            try:
                act = services.handover_act_create(
                    actor=request.user, organization=request.organization, **form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The handover act is drawn up."))
                return redirect("inventory:handoveract_detail", pk=act.pk)
        return self._render(request, form, status=400)


class HandoverActDetailView(VisibleObjectMixin, View):
    permission = VIEW
    model = HandoverAct

    def get(self, request, pk):
        act = get_object_or_404(
            self.get_queryset().select_related("organization__country", "funder_project"), pk=pk
        )
        return render(
            request,
            "inventory/handoveract_detail.html",
            {
                "object": act,
                "items": selectors.handover_act_items(act=act),
                "totals": selectors.handover_act_totals(act=act),
                "own": act.organization_id == request.organization.pk,
                "language": selectors.organization_language(act.organization),
            },
        )


class HandoverActPdfView(TenantObjectMixin, View):
    """GET: what will be printed and a button; POST: the PDF is made in the background (documents), then the
    document's page shows its progress and the download."""

    permission = VIEW
    model = HandoverAct

    def get(self, request, pk):
        act = get_object_or_404(self.get_queryset(), pk=pk)
        return render(request, "inventory/handoveract_pdf_request.html", {"object": act})

    def post(self, request, pk):
        act = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            document = document_request(
                actor=request.user,
                membership=request.membership,
                kind=documents.HANDOVER_ACT,
                params={"act": act.pk},
            )
        except DomainError as error:
            return render(
                request,
                "inventory/handoveract_pdf_request.html",
                {"object": act, "error": error.message},
                status=400,
            )
        return redirect("documents:detail", pk=document.pk)


# --- Import of a supplier's list --------------------------------------------------------------------------------


class EquipmentImportListView(MembershipRequiredMixin, View):
    permission = MANAGE

    def get(self, request):
        return self._render(request, EquipmentImportUploadForm())

    def post(self, request):
        form = EquipmentImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = imports.equipment_import_upload(
                    actor=request.user, organization=request.organization, upload=form.cleaned_data["file"]
                )
                imports.equipment_import_start(actor=request.user, record=record, step=ImportTask.CHECK)
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                return redirect("inventory:equipmentimport_detail", pk=record.pk)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        records = selectors.equipment_import_list(organization=request.organization)[:50]
        columns = [(f.label, f.required) for f in imports.FIELDS]
        return render(
            request,
            "inventory/equipmentimport_list.html",
            {"form": form, "imports": records, "columns": columns},
            status=status,
        )


def _records(view):
    return view.get_queryset().defer("content").select_related("uploaded_by")


def _import_page(request, record, *, error=None, status=200):
    return render(
        request,
        "inventory/equipmentimport_detail.html",
        {
            "object": record,
            "error": error,
            "running": bool(record.task),
            "import_errors": (record.errors or []) if not record.task else [],
            "can_import": record.status == ImportStatus.CHECKED and not record.errors and not record.task,
            "is_imported": record.status == ImportStatus.IMPORTED,
        },
        status=status,
    )


class EquipmentImportDetailView(TenantObjectMixin, View):
    """The file's check: every error of every row (from the stored result, never re-reading the file); POST checks
    it again."""

    permission = MANAGE
    model = EquipmentImport

    def get(self, request, pk):
        return _import_page(request, get_object_or_404(_records(self), pk=pk))

    def post(self, request, pk):
        record = get_object_or_404(_records(self), pk=pk)
        try:
            imports.equipment_import_start(actor=request.user, record=record, step=ImportTask.CHECK)
        except DomainError as error:
            return _import_page(request, record, error=error.message, status=400)
        return redirect("inventory:equipmentimport_detail", pk=record.pk)


class EquipmentImportProgressView(TenantObjectMixin, View):
    permission = MANAGE
    model = EquipmentImport

    def get(self, request, pk):
        record = get_object_or_404(self.get_queryset().only("pk", "organization", "task", "progress"), pk=pk)
        if not record.task:
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "inventory/partials/equipmentimport_progress.html", {"object": record})


class EquipmentImportCommitView(TenantObjectMixin, View):
    """Import a file checked without errors: every unit or none, in the background."""

    permission = MANAGE
    model = EquipmentImport

    def post(self, request, pk):
        record = get_object_or_404(_records(self), pk=pk)
        try:
            imports.equipment_import_start(actor=request.user, record=record, step=ImportTask.IMPORT)
        except DomainError as error:
            return _import_page(request, record, error=error.message, status=400)
        return redirect("inventory:equipmentimport_detail", pk=record.pk)


class EquipmentImportTemplateView(MembershipRequiredMixin, View):
    """The empty list to fill in, with the columns in the reader's language."""

    permission = MANAGE

    def get(self, request):
        response = HttpResponse(imports.template_xlsx(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="equipment-template.xlsx"'
        return response


urlpatterns = [
    path("inventory/", EquipmentListView.as_view(), name="equipment_list"),
    path("inventory/add/", EquipmentAddView.as_view(), name="equipment_add"),
    path("inventory/summary/", EquipmentSummaryView.as_view(), name="equipment_summary"),
    path("inventory/<int:pk>/", EquipmentDetailView.as_view(), name="equipment_detail"),
    path("inventory/<int:pk>/edit/", EquipmentEditView.as_view(), name="equipment_edit"),
    path("inventory/<int:pk>/status/", EquipmentStatusView.as_view(), name="equipment_status"),
    path("inventory/acts/", HandoverActListView.as_view(), name="handoveract_list"),
    path("inventory/acts/add/", HandoverActAddView.as_view(), name="handoveract_add"),
    path("inventory/acts/<int:pk>/", HandoverActDetailView.as_view(), name="handoveract_detail"),
    path("inventory/acts/<int:pk>/pdf/", HandoverActPdfView.as_view(), name="handoveract_pdf"),
    path("inventory/imports/", EquipmentImportListView.as_view(), name="equipmentimport_list"),
    path(
        "inventory/imports/template/", EquipmentImportTemplateView.as_view(), name="equipmentimport_template"
    ),
    path("inventory/imports/<int:pk>/", EquipmentImportDetailView.as_view(), name="equipmentimport_detail"),
    path(
        "inventory/imports/<int:pk>/progress/",
        EquipmentImportProgressView.as_view(),
        name="equipmentimport_progress",
    ),
    path(
        "inventory/imports/<int:pk>/import/",
        EquipmentImportCommitView.as_view(),
        name="equipmentimport_commit",
    ),
]
