"""The KPI dashboards and the drill-down to the records behind a figure."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from khizmat.core.errors import DomainError
from khizmat.monitoring import dashboard as dashboards
from khizmat.monitoring import registry, selectors, services
from khizmat.monitoring.forms import (
    FunderReportForm,
    IndicatorForm,
    IndicatorResultForm,
    IndicatorTargetForm,
    add_months,
)
from khizmat.monitoring.models import Indicator
from khizmat.tenancy.localtime import activate_for, local_today
from khizmat.tenancy.mixins import MembershipRequiredMixin
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scopes_disabled

RECORDS_PER_PAGE = 50


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class DashboardView(MembershipRequiredMixin, TemplateView):
    """One page per area (service center, billing, reports, field work) for every role that reads figures."""

    permission = "monitoring.dashboard"
    template_name = "monitoring/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        board = dashboards.build(
            scope=dashboards.scope_ids(request.membership, request.visible_organization_ids),
            params=request.GET,
            organization=request.organization,
        )
        kpi = board.kpi
        chart_series = {
            "labels": [f"{month:%Y-%m}" for month, _values in board.series],
            "values": [
                None if values.get(kpi.code) is None else float(round(values[kpi.code], 2))
                for _month, values in board.series
            ]
            if kpi
            else [],
        }
        chart_bars = {
            "labels": [str(row.label) for row in board.table],
            "values": [
                None if row.values.get(kpi.code) is None else float(round(row.values[kpi.code], 2))
                for row in board.table
            ]
            if kpi
            else [],
        }
        for row in board.table:
            row.drill = _drill_query(request, board.filters["group"], row.key)
        context.update(
            board=board,
            form=board.form,
            filters=board.filters,
            sections=[
                (code, registry.SECTIONS[code]) for code in dashboards.sections_with_sites(board.places)
            ],
            definitions=dashboards.kpi_definitions(board.kpis),
            chart_series=chart_series,
            chart_bars=chart_bars,
            kpi_label=str(kpi.label) if kpi else "",
            group_label=selectors.GROUPS.get(board.filters["group"], ""),
            query=_query_without(request),
            query_without_section=_query_without(request, "section", "kpi"),
            query_without_group=_query_without(
                request, "group", "organization", "region", "district", "pilot"
            ),
            show_records=True,
            empty_message=dashboards.empty_message(board),
        )
        return context


class RecordsView(MembershipRequiredMixin, TemplateView):
    """The records behind one figure, for the same filters: columns without personal data, so that a monitor may
    read them; a member of the record's organization gets a link to its own page."""

    permission = "monitoring.dashboard"
    template_name = "monitoring/records.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        kpi = registry.kpi(kwargs["code"])
        if kpi is None or kpi.records is None:
            raise Http404
        params = request.GET.copy()
        params["section"] = kpi.section
        params["kpi"] = kpi.code
        board = dashboards.build(
            scope=dashboards.scope_ids(request.membership, request.visible_organization_ids),
            params=params,
            organization=request.organization,
            headline_only=True,
        )
        date_from = board.filters["start"]
        date_to = add_months(board.filters["end"], 1) - datetime.timedelta(days=1)
        with scopes_disabled():
            records = kpi.records.queryset(board.organization_ids, date_from, date_to)
            page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
            rows = [
                {
                    "cells": [_cell(record, accessor) for _label, accessor in kpi.records.columns],
                    "url": kpi.records.url(record)
                    if kpi.records.url and record.organization_id == request.organization.pk
                    else "",
                }
                for record in page.object_list
            ]
        context.update(
            kpi=kpi,
            board=board,
            headers=[label for label, _accessor in kpi.records.columns],
            rows=rows,
            page=page,
            query=_query_without(request, "page"),
            value=dashboards.format_value(
                board.headline.values.get(kpi.code) if board.headline else None, kpi, board.currency
            ),
        )
        return context


# Clicking a row of the table narrows the dashboard to it, one level down.
_DRILL = {
    "region": ("region", "district"),
    "district": ("district", "organization"),
    "settlement": ("organization", "organization"),
    "country": ("", "region"),
    "funder_project": ("project", "organization"),
    "pilot": ("pilot", "organization"),
    "organization": ("organization", "organization"),
}


def _drill_query(request, group: str, key) -> str:
    field, next_group = _DRILL.get(group, ("", "organization"))
    if group == "settlement" or not field:
        return ""
    query = request.GET.copy()
    query[field] = str(key)
    query["group"] = next_group
    return query.urlencode()


def _cell(record, accessor):
    if callable(accessor):
        return accessor(record)
    value = record
    for part in accessor.split("."):
        value = getattr(value, part, None)
        if callable(value):
            value = value()
        if value is None:
            return ""
    return value


# --- Open data ----------------------------------------------------------------------------------------------------


class OpenDataSettingsView(MembershipRequiredMixin, TemplateView):
    """A director publishes (or withdraws) the organization's open-data page."""

    permission = "monitoring.publish"
    template_name = "monitoring/open_data_settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.request.organization
        context.update(
            organization=organization,
            published=selectors.open_data_published(organization),
        )
        return context

    def post(self, request):
        published = request.POST.get("published") == "1"
        services.open_data_set(actor=request.user, organization=request.organization, published=published)
        if published:
            messages.success(request, _("Your open-data page is public."))
        else:
            messages.success(request, _("Your open-data page is withdrawn."))
        return redirect("monitoring:open_data_settings")


def _public_organization(code: str):
    with scopes_disabled():
        organization = (
            Organization.objects.select_related("country").filter(code=code, is_active=True).first()
        )
    if organization is None or not selectors.open_data_published(organization):
        raise Http404
    activate_for(organization)
    return organization


def _open_period(organization):
    this_month = local_today(organization).replace(day=1)
    return add_months(this_month, -11), this_month


class OpenDataIndexView(TemplateView):
    template_name = "monitoring/open_data_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organizations"] = selectors.open_data_organizations()
        return context


class OpenDataView(TemplateView):
    """The public page of one organization: its service standards and a few figures of the last twelve months."""

    template_name = "monitoring/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = _public_organization(kwargs["code"])
        start, end = _open_period(organization)
        with scopes_disabled():
            kpis, total, series = selectors.open_data_figures(organization, month_from=start, month_to=end)
            standards = registry.standards(organization)
        context.update(
            organization=organization,
            kpis=kpis,
            total=total,
            series=series,
            standards=standards,
            start=start,
            end=end,
        )
        return context


class OpenDataFileView(View):
    """The same figures as CSV (one row per month and figure) or JSON."""

    def get(self, request, code, fmt):
        if fmt not in ("csv", "json"):
            raise Http404
        organization = _public_organization(code)
        start, end = _open_period(organization)
        with scopes_disabled():
            kpis, total, series = selectors.open_data_figures(organization, month_from=start, month_to=end)
            standards = registry.standards(organization)
        if fmt == "json":
            return JsonResponse(
                {
                    "organization": {"code": organization.code, "name": organization.name},
                    "period": {"from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}"},
                    "figures": [
                        {
                            "code": kpi.code,
                            "name": str(kpi.label),
                            "formula": str(kpi.formula),
                            "unit": kpi.unit,
                            "value": _number(total.values.get(kpi.code)) if total else None,
                            "months": [
                                {"month": f"{month:%Y-%m}", "value": _number(values.get(kpi.code))}
                                for month, values in series
                            ],
                        }
                        for kpi in kpis
                    ],
                    "standards": [
                        {
                            "title": table.title,
                            "columns": list(table.columns),
                            "rows": [list(r) for r in table.rows],
                        }
                        for table in standards
                    ],
                },
                json_dumps_params={"ensure_ascii": False},
            )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{organization.code}-open-data.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark correctly
        writer = csv.writer(response)
        writer.writerow(["month", "code", "figure", "value", "unit"])
        for month, values in series:
            for kpi in kpis:
                writer.writerow(
                    [f"{month:%Y-%m}", kpi.code, str(kpi.label), _number(values.get(kpi.code)), kpi.unit]
                )
        return response


def _number(value):
    return None if value is None else float(round(value, 2))


# --- Funder projects: indicators and the progress report ------------------------------------------------------------


def _year_to_date(organization):
    this_month = local_today(organization).replace(day=1)
    return this_month.replace(month=1), this_month


class IndicatorListView(MembershipRequiredMixin, TemplateView):
    """A funder project's results framework at its pilot sites: baseline, target and actual of each indicator."""

    permission = "monitoring.indicators.view"
    template_name = "monitoring/indicator_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.request.organization
        form = FunderReportForm(self.request.GET or None)
        start, end = _year_to_date(project)
        if form.is_bound and form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        context.update(
            project=project,
            period_form=form if form.is_bound else FunderReportForm(initial={"start": start, "end": end}),
            start=start,
            end=end,
            rows=selectors.indicator_rows(project, month_from=start, month_to=end),
            form=kwargs.get("form") or IndicatorForm(),
            may_manage=self.request.membership.has_permission("monitoring.indicators.manage"),
        )
        return context

    def post(self, request):
        if not request.membership.has_permission("monitoring.indicators.manage"):
            raise PermissionDenied("role")
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                indicator = services.indicator_save(
                    actor=request.user, organization=request.organization, **form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Indicator %(code)s saved.") % {"code": indicator.code})
                return redirect("monitoring:indicator_detail", pk=indicator.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class IndicatorDetailView(MembershipRequiredMixin, TemplateView):
    """One indicator: its definition, its baselines and targets per pilot site, the values entered."""

    permission = "monitoring.indicators.view"
    template_name = "monitoring/indicator_detail.html"
    model = Indicator

    def indicator(self):
        try:
            return Indicator.objects.for_organization(self.request.organization).get(pk=self.kwargs["pk"])
        except Indicator.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.indicator()
        project = self.request.organization
        sites = selectors.pilot_sites(project)
        start, end = _year_to_date(project)
        rows = [
            row
            for row in selectors.indicator_rows(project, month_from=start, month_to=end)
            if row.indicator.pk == indicator.pk
        ]
        context.update(
            indicator=indicator,
            rows=rows,
            start=start,
            end=end,
            results=indicator.results.select_related("site").order_by("-as_of", "site__name"),
            form=kwargs.get("form")
            or IndicatorForm(
                initial={
                    "code": indicator.code,
                    "name": indicator.name,
                    "kpi": indicator.kpi,
                    "unit": indicator.unit,
                    "description": indicator.description,
                }
            ),
            target_form=kwargs.get("target_form") or IndicatorTargetForm(sites=sites),
            result_form=kwargs.get("result_form") or IndicatorResultForm(sites=sites),
            may_manage=self.request.membership.has_permission("monitoring.indicators.manage"),
        )
        return context

    def post(self, request, pk):
        if not request.membership.has_permission("monitoring.indicators.manage"):
            raise PermissionDenied("role")
        indicator = self.indicator()
        sites = {site.pk: site for site in selectors.pilot_sites(request.organization)}
        action = request.POST.get("action")
        if action == "target":
            form, name = IndicatorTargetForm(request.POST, sites=sites.values()), "target_form"
        elif action == "result":
            form, name = IndicatorResultForm(request.POST, sites=sites.values()), "result_form"
        else:
            form, name = IndicatorForm(request.POST), "form"
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if action == "target":
                    data["site"] = sites[data["site"]]
                    services.indicator_target_set(actor=request.user, indicator=indicator, **data)
                elif action == "result":
                    data["site"] = sites[data["site"]]
                    services.indicator_result_record(actor=request.user, indicator=indicator, **data)
                else:
                    services.indicator_save(
                        actor=request.user, organization=request.organization, indicator=indicator, **data
                    )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Saved."))
                return redirect("monitoring:indicator_detail", pk=indicator.pk)
        return self.render_to_response(self.get_context_data(**{name: form}), status=400)


class FunderReportView(MembershipRequiredMixin, TemplateView):
    """Choose the period of a progress report; the workbook and the PDF are made in the background."""

    permission = "monitoring.funder_report"
    template_name = "monitoring/funder_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start, end = _year_to_date(self.request.organization)
        context["form"] = FunderReportForm(initial={"start": start, "end": end})
        return context
