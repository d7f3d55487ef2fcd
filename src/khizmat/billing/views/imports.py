"""Pages of the subscriber list import (upload, map, check, import) and the XLSX exports of billing data (made in
the background as documents)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views import View

from khizmat.billing import documents
from khizmat.billing.choices import ImportStatus, ImportTask
from khizmat.billing.forms_imports import SubscriberImportMappingForm, SubscriberImportUploadForm
from khizmat.billing.imports import (
    FIELDS,
    column_choices,
    subscriber_import_errors_xlsx,
    subscriber_import_preview,
    subscriber_import_start,
    subscriber_import_upload,
)
from khizmat.billing.models import SubscriberImport
from khizmat.core.errors import DomainError
from khizmat.documents.actions import DocumentRequestView
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Import of subscriber lists --------------------------------------------------------------------------------


class SubscriberImportListView(MembershipRequiredMixin, View):
    permission = "billing.subscribers"

    def get(self, request):
        return self._render(request, SubscriberImportUploadForm())

    def post(self, request):
        form = SubscriberImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = subscriber_import_upload(
                    actor=request.user, organization=request.organization, upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                return redirect("billing:subscriberimport_detail", pk=record.pk)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        imports = (
            SubscriberImport.objects.for_organization(request.organization)
            .defer("content")
            .select_related("uploaded_by")[:50]
        )
        return render(
            request, "billing/subscriberimport_list.html", {"form": form, "imports": imports}, status=status
        )


def _render_detail(request, record: SubscriberImport, form=None, *, error=None, status=200):
    form = form or SubscriberImportMappingForm(
        headers=record.headers, initial=SubscriberImportMappingForm.initial_for(record.mapping)
    )
    errors = record.errors or []
    return render(
        request,
        "billing/subscriberimport_detail.html",
        {
            "object": record,
            "form": form,
            "error": error,
            "columns": column_choices(record.headers),
            "preview": subscriber_import_preview(record) if record.status != ImportStatus.IMPORTED else [],
            "import_errors": errors if not record.task else [],
            "running": bool(record.task),
            "can_import": record.status == ImportStatus.CHECKED
            and not errors
            and record.row_count > 0
            and not record.task,
            "is_imported": record.status == ImportStatus.IMPORTED,
            "required_fields": [f.label for f in FIELDS if f.required],
        },
        status=status,
    )


def _records(view):
    return view.get_queryset().defer("content").select_related("uploaded_by")


class SubscriberImportDetailView(TenantObjectMixin, View):
    """The column mapping of one file; "Check" starts the dry run in the background, then the page shows every
    error of every row (it reads the stored result, never the file)."""

    permission = "billing.subscribers"
    model = SubscriberImport

    def get(self, request, pk):
        return _render_detail(request, get_object_or_404(_records(self), pk=pk))

    def post(self, request, pk):
        record = get_object_or_404(_records(self), pk=pk)
        form = SubscriberImportMappingForm(request.POST, headers=record.headers)
        if form.is_valid():
            try:
                subscriber_import_start(
                    actor=request.user, record=record, step=ImportTask.CHECK, mapping=form.mapping()
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                return redirect("billing:subscriberimport_detail", pk=record.pk)
        return _render_detail(request, record, form, status=400)


class SubscriberImportProgressView(TenantObjectMixin, View):
    """The progress of a running check or import, polled by the page; once done, the page reloads."""

    permission = "billing.subscribers"
    model = SubscriberImport

    def get(self, request, pk):
        record = get_object_or_404(self.get_queryset().only("pk", "organization", "task", "progress"), pk=pk)
        if not record.task:  # done: the page reloads to show the outcome
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(request, "billing/partials/subscriberimport_progress.html", {"object": record})


class SubscriberImportCommitView(TenantObjectMixin, View):
    """Import a checked file: all rows or none. The posted column choice must be the one that was checked."""

    permission = "billing.subscribers"
    model = SubscriberImport

    def post(self, request, pk):
        record = get_object_or_404(_records(self), pk=pk)
        form = SubscriberImportMappingForm(request.POST, headers=record.headers)
        mapping = form.mapping() if form.is_valid() else None
        try:
            subscriber_import_start(
                actor=request.user, record=record, step=ImportTask.IMPORT, mapping=mapping
            )
        except DomainError as error:
            return _render_detail(request, record, error=error.message, status=400)
        return redirect("billing:subscriberimport_detail", pk=record.pk)


class SubscriberImportErrorsView(TenantObjectMixin, View):
    """The check's errors as a workbook, to correct the file row by row."""

    permission = "billing.subscribers"
    model = SubscriberImport

    def get(self, request, pk):
        record = get_object_or_404(self.get_queryset().defer("content"), pk=pk)
        filename = (
            f"{request.organization.code}-import-{record.pk}-errors-{timezone.localdate():%Y-%m-%d}.xlsx"
        )
        return _xlsx_response(subscriber_import_errors_xlsx(record), filename)


# --- Exports: documents made in the background (billing/documents.py) ------------------------------------------


def _export(kind: str):
    return DocumentRequestView.as_view(kind=kind, permission=documents.PERMISSION)


urlpatterns = [
    path("billing/imports/", SubscriberImportListView.as_view(), name="subscriberimport_list"),
    path("billing/imports/<int:pk>/", SubscriberImportDetailView.as_view(), name="subscriberimport_detail"),
    path(
        "billing/imports/<int:pk>/progress/",
        SubscriberImportProgressView.as_view(),
        name="subscriberimport_progress",
    ),
    path(
        "billing/imports/<int:pk>/errors/",
        SubscriberImportErrorsView.as_view(),
        name="subscriberimport_errors",
    ),
    path(
        "billing/imports/<int:pk>/import/",
        SubscriberImportCommitView.as_view(),
        name="subscriberimport_commit",
    ),
    path("billing/exports/subscribers/", _export("billing.subscribers"), name="export_subscribers"),
    path("billing/exports/invoices/", _export("billing.invoices"), name="export_invoices"),
    path("billing/exports/payments/", _export("billing.payments"), name="export_payments"),
    path("billing/exports/arrears/", _export("billing.arrears"), name="export_arrears"),
]
