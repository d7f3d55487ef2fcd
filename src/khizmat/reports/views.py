from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView
from django_ratelimit.core import is_ratelimited

from khizmat.core import hooks
from khizmat.core.errors import DomainError
from khizmat.reports import selectors, services
from khizmat.reports.choices import ReportSource, ReportStatus
from khizmat.reports.forms import FollowForm, LocationReportForm, PortalReportForm, ReportStatusForm
from khizmat.reports.models import Report, ReportType
from khizmat.reports.photos import clean_photo
from khizmat.reports.routing import forward_targets, report_may_be_forwarded
from khizmat.tenancy.localtime import activate_for
from khizmat.tenancy.mixins import MembershipRequiredMixin, PersonalDataMixin, TenantObjectMixin
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.scoping import scope
from khizmat.tenancy.selectors import active_organization_by_code

# --- Public portal: no login, one organization's page --------------------------------------------------------


class PortalMixin:
    """Resolve the organization from the link and work inside its scope only."""

    def dispatch(self, request, org_code: str, *args, **kwargs):
        organization = active_organization_by_code(org_code)
        if organization is None:
            raise Http404
        activate_for(organization)
        with scope(organization=[organization.pk]):
            if not ReportType.objects.filter(organization=organization, is_active=True).exists():
                raise Http404
            self.organization = organization
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response


class PortalSubmitMixin:
    """Submitting a report from a portal page: rate limit, form errors, photo cleaning, the place from the map or
    from the photo, then ``file()`` and a redirect to the follow page with the citizen's secret token."""

    def post(self, request):
        form = self.get_form(request.POST, request.FILES)
        if is_ratelimited(request, group="reports:portal", key="ip", rate="10/h", increment=True):
            form.add_error(None, _("Too many reports from this connection. Try again later."))
            return self._render(request, form, status=429)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            photo, position = clean_photo(data["photo"]) if data["photo"] else (None, None)
            latitude, longitude = data["latitude"], data["longitude"]
            if latitude is None and position is not None:
                latitude, longitude = position
            report = self.file(
                data,
                latitude=latitude,
                longitude=longitude,
                source=ReportSource.PORTAL,
                address=data["address"],
                description=data["description"],
                phone=data["phone"],
                language=request.LANGUAGE_CODE,
                photo=photo,
            )
        except DomainError as error:
            error.add_to_form(form)
            return self._render(request, form, status=400)
        organization = Organization.objects.get(pk=report.organization_id)
        url = reverse(
            "reports:portal_follow", kwargs={"org_code": organization.code, "number": report.number}
        )
        return redirect(f"{url}?t={report.token}")


@method_decorator(never_cache, name="dispatch")
class PortalIndexView(PortalSubmitMixin, View):
    """The national portal: report by place (routed automatically) or choose the organization."""

    def get(self, request):
        return self._render(request, self.get_form())

    def get_form(self, *args):
        return LocationReportForm(*args)

    def file(self, data, **fields):
        return services.report_file_by_location(code=data["problem"], settlement=data["settlement"], **fields)

    def _render(self, request, form, status=200):
        def with_schedule():
            with scope(organization=None):
                return hooks.call("reports.organization_ids_with_pickup_schedule")

        # The directory is read only when its rendered fragment is not in the cache (callables: the template calls
        # them when it renders the fragment).
        return render(
            request,
            "reports/portal_index.html",
            {
                "organizations": selectors.portal_directory,
                "with_schedule": with_schedule,
                "directory_cache_seconds": settings.REPORTS_PORTAL_CACHE_SECONDS,
                "form": form,
            },
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class PortalReportView(PortalMixin, PortalSubmitMixin, View):
    def get(self, request):
        return self._render(request, self.get_form())

    def get_form(self, *args):
        return PortalReportForm(*args, organization=self.organization)

    def file(self, data, **fields):
        return services.report_create(
            organization=self.organization, report_type=data["report_type"], **fields
        )

    def _render(self, request, form, status=200):
        return render(
            request,
            "reports/portal_form.html",
            {"organization": self.organization, "form": form},
            status=status,
        )


@method_decorator(never_cache, name="dispatch")
class PortalFollowView(PortalMixin, View):
    """Status and public notes of one report; nothing personal is shown. With the report's token (the link the
    citizen got), a resolved report can be confirmed or reopened."""

    def get(self, request, number: str):
        report = self._report(number)
        token = request.GET.get("t", "")
        return render(
            request,
            "reports/portal_follow.html",
            {
                "organization": self.organization,
                "report": report,
                "updates": selectors.report_public_updates(report=report),
                "token": token if token == report.token else "",
            },
        )

    def post(self, request, number: str):
        report = self._report(number)
        if is_ratelimited(request, group="reports:answer", key="ip", rate="20/h", increment=True):
            messages.error(request, _("Too many attempts. Try again later."))
        else:
            try:
                services.report_citizen_answer(
                    report=report,
                    token=request.POST.get("t", ""),
                    solved=request.POST.get("solved") == "yes",
                    comment=request.POST.get("comment", ""),
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Thank you! Your answer has been recorded."))
        url = reverse(
            "reports:portal_follow", kwargs={"org_code": self.organization.code, "number": report.number}
        )
        return redirect(url)

    def _report(self, number: str) -> Report:
        report = (
            Report.objects.filter(organization=self.organization, number=number.upper())
            .select_related("report_type")
            .first()
        )
        if report is None:
            raise Http404
        return report


class PortalFindView(PortalMixin, View):
    def get(self, request):
        form = FollowForm(request.GET or None)
        if form.is_valid():
            return redirect(
                "reports:portal_follow",
                org_code=self.organization.code,
                number=form.cleaned_data["number"].strip().upper(),
            )
        return render(request, "reports/portal_find.html", {"organization": self.organization, "form": form})


class PortalRecentView(PortalMixin, View):
    def get(self, request):
        reports = selectors.recent_public(organization=self.organization)
        return render(
            request,
            "reports/portal_recent.html",
            {
                "organization": self.organization,
                "reports": reports,
                "points": selectors.map_points(Report.objects.filter(pk__in=[r.pk for r in reports])),
            },
        )


# --- Staff ---------------------------------------------------------------------------------------------------


REPORTS_PER_PAGE = 50


class ReportInboxView(MembershipRequiredMixin, TemplateView):
    permission = "reports.view"
    template_name = "reports/inbox.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        status = self.request.GET.get("status", "open")
        type_id = self.request.GET.get("type", "")
        report_type = (
            ReportType.objects.filter(organization=organization, pk=type_id).first()
            if type_id.isdigit()
            else None
        )
        overdue = self.request.GET.get("overdue") == "1"
        reports = selectors.report_list(
            organization=organization,
            status=status if status in ("open", *ReportStatus.values) else "",
            report_type=report_type,
            overdue_at=timezone.now() if overdue else None,
        )
        # 50 a page, newest first (200 rows took most of the page's 120 ms at national scale, and its bytes on a
        # slow link); the map shows the 500 newest whatever the page.
        page = Paginator(reports, REPORTS_PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            reports=page.object_list,
            page_obj=page,
            page_query=query.urlencode(),
            points=selectors.map_points(reports),
            statuses=ReportStatus.choices,
            types=selectors.report_type_list_active(organization=organization),
            status=status,
            now=timezone.now(),
            **kwargs,
        )


class ReportDetailView(PersonalDataMixin, TenantObjectMixin, DetailView):
    permission = "reports.view"
    model = Report
    template_name = "reports/report_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("report_type", "assigned_to", "duplicate_of")

    def get_context_data(self, **kwargs):
        report = self.object
        from khizmat.tenancy.models import Membership

        can_handle = self.request.membership.has_permission("reports.handle")
        handlers = [
            m
            for m in Membership.objects.filter(
                organization=report.organization, is_active=True
            ).select_related("user")
            if m.has_permission("reports.handle")
        ]
        return super().get_context_data(
            status_form=ReportStatusForm(initial={"status": report.status}),
            updates=selectors.report_public_updates(report=report),
            duplicates=selectors.report_duplicates_suggested(report=report),
            handlers=handlers,
            can_handle=can_handle,
            forward_targets=forward_targets(report) if can_handle and report_may_be_forwarded(report) else [],
            points=selectors.map_points(Report.objects.filter(pk=report.pk)),
            **kwargs,
        )


class ReportActionView(TenantObjectMixin, View):
    permission = "reports.handle"
    model = Report
    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(self.get_queryset(), pk=pk)
        action = request.POST.get("action")
        try:
            if action == "status":
                form = ReportStatusForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Choose a valid status."))
                services.report_set_status(actor=request.user, report=report, **form.cleaned_data)
            elif action == "merge":
                into = Report.objects.filter(
                    organization=report.organization, pk=request.POST.get("into") or 0
                ).first()
                if into is None:
                    raise DomainError(_("Choose another report of this organization."))
                services.report_merge(actor=request.user, report=report, into=into)
            elif action == "forward":
                # One choice "<organization code>|<type code>" from the page, or the two fields (scripts).
                org_code, _sep, code = request.POST.get("target", "").partition("|")
                org_code = org_code or request.POST.get("organization", "")
                code = code or request.POST.get("code", "")
                target = Organization.objects.filter(code=org_code, is_active=True).first()
                if target is None:
                    raise DomainError(_("Choose another organization."))
                forwarded = services.report_forward(
                    actor=request.user, report=report, organization=target, code=code
                )
                messages.success(request, _("Forwarded as %(number)s.") % {"number": forwarded.number})
                return redirect("reports:report_detail", pk=report.pk)
            elif action == "link":
                services.report_link_application(
                    actor=request.user, report=report, number=request.POST.get("application_number", "")
                )
            elif action == "assign":
                assignee = User.objects.filter(pk=request.POST.get("assignee") or 0).first()
                if assignee is None:
                    raise DomainError(_("This person cannot handle reports here."))
                services.report_assign(actor=request.user, report=report, assignee=assignee)
            else:
                raise DomainError(_("Unknown step."))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("reports:report_detail", pk=report.pk)


class ReportPhotoView(TenantObjectMixin, View):
    """The photo of a report, for staff (citizens' photos are not public)."""

    permission = "reports.view"
    model = Report

    def get(self, request, pk):
        from django.http import FileResponse

        report = get_object_or_404(self.get_queryset(), pk=pk)
        if not report.photo:
            raise Http404
        try:
            return FileResponse(
                report.photo.open("rb"),
                content_type="image/jpeg" if report.photo.name.endswith(".jpg") else "image/png",
            )
        except FileNotFoundError as error:
            raise Http404 from error
