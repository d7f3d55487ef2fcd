"""The dashboards as Excel workbooks, made in the background (khizmat.documents): the same figures as the page."""

import re
from io import BytesIO

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# openpyxl is imported in the functions that use it: a web worker that never needs it does not hold it (about 30 MB with numpy).
from khizmat.core.errors import DomainError
from khizmat.core.pdf import render_pdf
from khizmat.documents.registry import Built, DocumentKind, register
from khizmat.monitoring import dashboard as dashboards
from khizmat.monitoring import registry
from khizmat.monitoring.selectors import GROUPS
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.selectors import organization_ids_visible_to_membership

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = (
    "start",
    "end",
    "section",
    "kpi",
    "region",
    "district",
    "project",
    "pilot",
    "organization",
    "group",
)


def _clean(organization, params: dict) -> dict:
    """Keep the dashboard's filters only; they are checked again, like the page's, when the workbook is built."""
    return {name: str(params[name])[:40] for name in FILTERS if params.get(name) not in (None, "")}


def _scope(membership) -> dict:
    visible = organization_ids_visible_to_membership(membership)
    return {"scope": dashboards.scope_ids(membership, visible)}


def _value(value):
    return None if value is None else float(round(value, 4))


def _sheet(workbook, title, header, rows):
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(re.sub(r"[\\/?*\[\]:]", " ", str(title))[:31].strip())
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "B2"
    return sheet


def _dashboard(organization, params: dict, progress) -> Built:
    from openpyxl import Workbook

    query = QueryDict(mutable=True)
    for name in FILTERS:
        if name in params:
            query[name] = params[name]
    board = dashboards.build(scope=params.get("scope", []), params=query, organization=organization)
    progress(0.5)
    labels = [str(kpi.label) for kpi in board.kpis]
    workbook = Workbook()
    workbook.remove(workbook.active)
    group_label = GROUPS.get(board.filters["group"], "")
    _sheet(
        workbook,
        _("Figures"),
        [str(group_label), _("Organizations"), _("Currency"), *labels],
        (
            [
                str(row.label),
                row.organizations,
                row.currency,
                *(_value(row.values.get(k.code)) for k in board.kpis),
            ]
            for row in board.table
        ),
    )
    _sheet(
        workbook,
        _("By month"),
        [_("Month"), *labels],
        (
            [f"{month:%Y-%m}", *(_value(values.get(k.code)) for k in board.kpis)]
            for month, values in board.series
        ),
    )
    if board.comparison:
        _sheet(
            workbook,
            _("Pilot sites"),
            [_("Sites"), _("Organizations"), *labels],
            (
                [str(row.label), row.organizations, *(_value(row.values.get(k.code)) for k in board.kpis)]
                for row in board.comparison
            ),
        )
    _sheet(
        workbook,
        _("Definitions"),
        [_("Figure"), _("Formula"), _("Unit")],
        ([label, formula, unit] for label, formula, unit in dashboards.kpi_definitions(board.kpis)),
    )
    about = workbook.create_sheet(_("Filters"))
    about.append([_("Area"), str(registry.SECTIONS.get(board.filters["section"], ""))])
    about.append([_("From month"), f"{board.filters['start']:%Y-%m}"])
    about.append([_("To month"), f"{board.filters['end']:%Y-%m}"])
    about.append([_("Sites"), len(board.organization_ids)])
    buffer = BytesIO()
    workbook.save(buffer)
    progress(1.0)
    today = local_today(organization)
    return Built(
        buffer.getvalue(),
        f"{organization.code}-results-{board.filters['section']}-{today:%Y-%m-%d}.xlsx",
        XLSX,
    )


register(
    DocumentKind(
        name="monitoring.dashboard",
        title=gettext_lazy("Results (Excel)"),
        permission="monitoring.dashboard",
        build=_dashboard,
        clean=_clean,
        scope=_scope,
    )
)


# --- A funder project's progress report -------------------------------------------------------------------------


def _clean_report(organization, params: dict) -> dict:
    from khizmat.monitoring.forms import FunderReportForm

    form = FunderReportForm(params)
    if not form.is_valid():
        messages = [str(m) for errors in form.errors.values() for m in errors]
        raise DomainError(" ".join(messages), code="bad_period")
    return {"start": form.cleaned_data["start"].isoformat(), "end": form.cleaned_data["end"].isoformat()}


def _report(organization, params):
    import datetime

    from khizmat.monitoring.funder_report import report

    return report(
        organization,
        start=datetime.date.fromisoformat(params["start"]),
        end=datetime.date.fromisoformat(params["end"]),
    )


def _report_name(organization, params, extension: str) -> str:
    return f"{organization.code}-progress-{params['start'][:7]}-{params['end'][:7]}.{extension}"


def _report_xlsx(organization, params: dict, progress) -> Built:
    from openpyxl import Workbook

    data = _report(organization, params)
    progress(0.6)
    workbook = Workbook()
    workbook.remove(workbook.active)
    about = workbook.create_sheet(_("Report"))
    about.append([_("Project"), organization.name])
    about.append([_("Period"), f"{data.start:%m.%Y} – {data.end:%m.%Y}"])
    about.append([_("Pilot sites"), len(data.sites)])
    for number, table in enumerate(data.tables, start=1):
        sheet = _sheet(workbook, f"{number}. {table.title}", table.columns, table.rows)
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    progress(1.0)
    return Built(buffer.getvalue(), _report_name(organization, params, "xlsx"), XLSX)


def _report_pdf(organization, params: dict, progress) -> Built:
    data = _report(organization, params)
    progress(0.5)
    content = render_pdf("monitoring/funder_report_pdf.html", {"report": data, "project": organization})
    progress(1.0)
    return Built(content, _report_name(organization, params, "pdf"), "application/pdf")


for _kind, _build, _title in (
    ("monitoring.funder_report_xlsx", _report_xlsx, gettext_lazy("Progress report (Excel)")),
    ("monitoring.funder_report_pdf", _report_pdf, gettext_lazy("Progress report (PDF)")),
):
    register(
        DocumentKind(
            name=_kind, title=_title, permission="monitoring.funder_report", build=_build, clean=_clean_report
        )
    )
