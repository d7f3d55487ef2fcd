"""The dashboards as Excel workbooks, made in the background (khizmat.documents): the same figures as the page."""

from io import BytesIO

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from khizmat.documents.registry import Built, DocumentKind, register
from khizmat.monitoring import dashboard as dashboards
from khizmat.monitoring import registry
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
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "B2"
    return sheet


def _dashboard(organization, params: dict, progress) -> Built:
    query = QueryDict(mutable=True)
    for name in FILTERS:
        if name in params:
            query[name] = params[name]
    board = dashboards.build(scope=params.get("scope", []), params=query, organization=organization)
    progress(0.5)
    labels = [str(kpi.label) for kpi in board.kpis]
    workbook = Workbook()
    workbook.remove(workbook.active)
    group_label = dict(board.form.fields["group"].choices).get(board.filters["group"], "")
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
