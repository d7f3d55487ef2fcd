"""Bank and terminal statements: upload a file, review the lines that matched no account, post the payments;
statement formats (each bank's column names) are kept per organization."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from khizmat.billing import statements
from khizmat.billing.choices import LineStatus, StatementImportStatus, StatementStatus
from khizmat.billing.forms_statements import BankProfileForm, LineMatchForm, StatementUploadForm
from khizmat.billing.models import BankProfile, BankStatement, StatementImport, StatementLine
from khizmat.core.errors import DomainError
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin

PERMISSION = "billing.statements"
LINES_PER_PAGE = 100
OPEN_LINE_STATUSES = (LineStatus.UNMATCHED, LineStatus.MATCHED)


class StatementListView(MembershipRequiredMixin, View):
    """Statements of the organization, newest first, with the upload form."""

    permission = PERMISSION
    template_name = "billing/statement_list.html"

    def get(self, request):
        return self._render(request, StatementUploadForm(organization=request.organization))

    def post(self, request):
        form = StatementUploadForm(request.POST, request.FILES, organization=request.organization)
        problems = []
        if form.is_valid():
            try:
                record = statements.statement_import_start(
                    actor=request.user, profile=form.cleaned_data["profile"], upload=form.cleaned_data["file"]
                )
            except statements.StatementRejected as error:
                error.add_to_form(form)
                problems = error.problems
            except DomainError as error:
                error.add_to_form(form)
            else:
                return redirect("billing:statementimport_detail", pk=record.pk)
        return self._render(request, form, problems=problems, status=400)

    def _render(self, request, form, *, problems=(), status=200):
        organization = request.organization
        page = Paginator(
            BankStatement.objects.for_organization(organization).select_related("profile", "uploaded_by"), 50
        ).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "problems": problems,
                "page_obj": page,
                "has_profiles": BankProfile.objects.for_organization(organization).exists(),
                "pending_imports": StatementImport.objects.for_organization(organization)
                .exclude(status=StatementImportStatus.DONE)
                .defer("content")
                .order_by("-uploaded_at")[:10],
                "currency": organization.currency,
            },
            status=status,
        )


class StatementImportView(TenantObjectMixin, View):
    """A statement file being read in the background: its progress (polled by htmx), then the statement it became
    (the page moves there) or why the file was refused, line by line."""

    permission = PERMISSION
    model = StatementImport

    def get(self, request, pk):
        record = get_object_or_404(
            self.get_queryset().defer("content").select_related("profile", "uploaded_by"), pk=pk
        )
        if record.status == StatementImportStatus.DONE and record.statement_id:
            self._announce(request, record.statement)
            target = reverse("billing:statement_detail", args=[record.statement_id])
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        if request.htmx and record.status != StatementImportStatus.READING:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        template = (
            "billing/partials/statementimport_progress.html"
            if request.htmx
            else "billing/statementimport_detail.html"
        )
        return render(request, template, {"object": record})

    def _announce(self, request, statement: BankStatement) -> None:
        count = statement.line_count
        messages.success(
            request,
            ngettext("Statement imported: %(count)s line.", "Statement imported: %(count)s lines.", count)
            % {"count": count},
        )
        earlier = (
            BankStatement.objects.for_organization(request.organization)
            .filter(sha256=statement.sha256, uploaded_at__lt=statement.uploaded_at)
            .order_by("-uploaded_at")
            .first()
        )
        if earlier is not None:
            messages.warning(
                request,
                _("The same file was already imported on %(date)s; lines posted then show as already posted.")
                % {"date": date_format(localtime(earlier.uploaded_at), "SHORT_DATETIME_FORMAT")},
            )


class StatementDetailView(TenantObjectMixin, View):
    """Totals per line status; the lines, those matching no account first, 100 per page, each with its actions."""

    permission = PERMISSION
    model = BankStatement
    template_name = "billing/statement_detail.html"

    def get(self, request, pk):
        statement = get_object_or_404(self.get_queryset().select_related("profile", "uploaded_by"), pk=pk)
        lines = StatementLine.objects.filter(organization=request.organization, statement=statement)
        summary = {
            row["status"]: row
            for row in lines.order_by().values("status").annotate(count=Count("pk"), total=Sum("amount"))
        }
        status = request.GET.get("status", "")
        shown = lines.filter(status=status) if status in LineStatus.values else lines
        shown = shown.select_related("subscriber").order_by(
            Case(
                When(status=LineStatus.UNMATCHED, then=Value(0)),
                When(status=LineStatus.MATCHED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            "line_number",
        )
        page = Paginator(shown, LINES_PER_PAGE).get_page(request.GET.get("page"))
        matched = summary.get(LineStatus.MATCHED, {}).get("count", 0)
        unmatched = summary.get(LineStatus.UNMATCHED, {}).get("count", 0)
        return render(
            request,
            self.template_name,
            {
                "object": statement,
                "summary": [
                    {"status": value, "label": label, **summary.get(value, {"count": 0, "total": None})}
                    for value, label in LineStatus.choices
                ],
                "statuses": LineStatus.choices,
                "status": status if status in LineStatus.values else "",
                "page_obj": page,
                "matched_count": matched,
                "unmatched_count": unmatched,
                "in_review": statement.status == StatementStatus.REVIEW,
                "open_statuses": OPEN_LINE_STATUSES,
                "currency": request.organization.currency,
            },
        )


class StatementPostView(TenantObjectMixin, View):
    permission = PERMISSION
    model = BankStatement

    def post(self, request, pk):
        statement = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            count = statements.statement_post(actor=request.user, statement=statement)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s payment posted.", "%(count)s payments posted.", count) % {"count": count},
            )
            if statement.status == StatementStatus.REVIEW:
                messages.info(
                    request, _("Lines that match no account wait for a decision: match or ignore them.")
                )
        return redirect("billing:statement_detail", pk=statement.pk)


def _back_to_lines(request, statement_id: int):
    """The statement page the line form was sent from (same page and filter)."""
    query = {}
    page = request.POST.get("page", "")
    if page.isdigit():
        query["page"] = page
    status = request.POST.get("status", "")
    if status in LineStatus.values:
        query["status"] = status
    url = reverse("billing:statement_detail", kwargs={"pk": statement_id})
    return redirect(f"{url}?{urlencode(query)}#lines" if query else f"{url}#lines")


class StatementLineMatchView(TenantObjectMixin, View):
    """Match one line to the account whose number the person typed."""

    permission = PERMISSION
    model = StatementLine

    def post(self, request, pk):
        line = get_object_or_404(self.get_queryset(), pk=pk)
        form = LineMatchForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Type the account number."))
            return _back_to_lines(request, line.statement_id)
        number = form.cleaned_data["account"]
        subscriber = statements.subscriber_by_number(organization=request.organization, text=number)
        if subscriber is None:
            messages.error(request, _("There is no account number %(number)s.") % {"number": number})
            return _back_to_lines(request, line.statement_id)
        try:
            statements.statement_line_match(actor=request.user, line=line, subscriber=subscriber)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Line %(line)s matched to account %(account)s.")
                % {"line": line.line_number, "account": subscriber},
            )
        return _back_to_lines(request, line.statement_id)


class StatementLineIgnoreView(TenantObjectMixin, View):
    permission = PERMISSION
    model = StatementLine

    def post(self, request, pk):
        line = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            statements.statement_line_ignore(actor=request.user, line=line)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Line %(line)s will not be posted.") % {"line": line.line_number})
        return _back_to_lines(request, line.statement_id)


class BankProfileListView(MembershipRequiredMixin, ListView):
    permission = PERMISSION
    template_name = "billing/bankprofile_list.html"
    context_object_name = "profiles"

    def get_queryset(self):
        return BankProfile.objects.for_organization(self.request.organization).order_by("name")


class BankProfileFormView(TenantObjectMixin, View):
    """Add a statement format (``pk`` absent) or change one's column names."""

    permission = PERMISSION
    model = BankProfile
    template_name = "billing/bankprofile_form.html"

    def _instance(self, pk):
        if pk is None:
            return BankProfile(organization=self.request.organization)
        return get_object_or_404(self.get_queryset(), pk=pk)

    def get(self, request, pk=None):
        instance = self._instance(pk)
        return render(
            request,
            self.template_name,
            {"form": BankProfileForm(instance=instance), "object": instance if pk else None},
        )

    def post(self, request, pk=None):
        instance = self._instance(pk)
        form = BankProfileForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                profile = statements.bank_profile_save(actor=request.user, profile=form.instance)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Statement format %(name)s saved.") % {"name": profile.name})
                return redirect("billing:bankprofile_list")
        return render(
            request, self.template_name, {"form": form, "object": instance if pk else None}, status=400
        )


urlpatterns = [
    path("billing/statements/", StatementListView.as_view(), name="statement_list"),
    path("billing/statements/<int:pk>/", StatementDetailView.as_view(), name="statement_detail"),
    path(
        "billing/statements/imports/<int:pk>/", StatementImportView.as_view(), name="statementimport_detail"
    ),
    path("billing/statements/<int:pk>/post/", StatementPostView.as_view(), name="statement_post"),
    path(
        "billing/statements/lines/<int:pk>/match/",
        StatementLineMatchView.as_view(),
        name="statementline_match",
    ),
    path(
        "billing/statements/lines/<int:pk>/ignore/",
        StatementLineIgnoreView.as_view(),
        name="statementline_ignore",
    ),
    path("billing/bank-formats/", BankProfileListView.as_view(), name="bankprofile_list"),
    path("billing/bank-formats/add/", BankProfileFormView.as_view(), name="bankprofile_add"),
    path("billing/bank-formats/<int:pk>/edit/", BankProfileFormView.as_view(), name="bankprofile_edit"),
]
