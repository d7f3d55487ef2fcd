"""What a dashboard shows for a membership and a query: the same figures for the page, the XLSX and the API."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from khizmat.monitoring import registry, selectors
from khizmat.monitoring.forms import DashboardFilterForm, add_months, select
from khizmat.monitoring.registry import SECTION_KINDS
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import Oversight
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled


def scope_ids(membership, visible_ids) -> list[int]:
    """Whose figures a membership reads: what its role may see (a monitor: its region, country or projects' sites),
    plus, for the other roles, the organizations its own oversees (an aiyl okmotu's enterprise, a funder project's
    pilot sites, an agency branch's centers). Figures only: the records behind them keep their own rules."""
    ids = set(visible_ids)
    if membership.role != Role.MONITOR:
        with scopes_disabled():
            ids |= set(
                Oversight.objects.filter(overseer_id=membership.organization_id).values_list(
                    "overseen_id", flat=True
                )
            )
    return sorted(ids)


@dataclasses.dataclass
class Dashboard:
    form: DashboardFilterForm
    filters: dict
    places: dict
    organization_ids: list[int]
    kpis: list
    kpi: registry.Kpi | None
    headline: selectors.KpiRow | None
    comparison: list
    table: list
    series: list
    map_points: list
    currency: str

    @property
    def period_days(self) -> tuple[datetime.date, datetime.date]:
        end = add_months(self.filters["end"], 1) - datetime.timedelta(days=1)
        return self.filters["start"], end


def build(*, scope: list[int], params, organization, headline_only: bool = False) -> Dashboard:
    """Read the filters from ``params`` (a QueryDict or dict) and compute everything the dashboard shows over the
    organizations of ``scope`` (:func:`scope_ids`); ``headline_only``: the filters and the chosen KPI's total alone
    (the records page), without the tables, the months and the map."""
    with scopes_disabled():
        places = selectors.sites(scope)
        projects = {project.pk: project.name for project in selectors.funder_projects(list(places))}
    form = DashboardFilterForm(params, places=places, projects=projects, today=local_today(organization))
    form.is_valid()
    filters = form.filters()
    ids = select(places, filters)
    kpis = registry.kpis(filters["section"])
    kpi = registry.kpi(filters["kpi"]) if filters["kpi"] else None
    if kpi is None or kpi.section != filters["section"]:
        kpi = kpis[0] if kpis else None
        filters["kpi"] = kpi.code if kpi else ""
    query = {
        "organization_ids": ids,
        "kpis": kpis,
        "month_from": filters["start"],
        "month_to": filters["end"],
    }
    # One query for every site's totals, grouped four ways in memory; one for the months of them all together.
    chosen = {pk: places[pk] for pk in ids}
    # The records page needs only its own figure's total: no other KPI, grouping, month or map.
    measured = ([kpi] if kpi is not None else []) if headline_only else kpis
    per_org = selectors.organization_totals(chosen, measured, filters["start"], filters["end"]) if ids else {}
    headline = selectors.group_rows(chosen, per_org, measured, None) if ids else []
    comparison, table, by_site = [], [], []
    if ids and not headline_only:
        if len({places[pk].is_pilot for pk in ids}) == 2:
            comparison = selectors.group_rows(chosen, per_org, kpis, "pilot")
        table = selectors.group_rows(chosen, per_org, kpis, filters["group"])
        by_site = (
            table
            if filters["group"] == "organization"
            else selectors.group_rows(chosen, per_org, kpis, "organization")
        )
    series = selectors.kpi_series(**query, places=places) if ids and not headline_only else []
    points = []
    if kpi is not None:
        for row in by_site:
            site = places[row.key]
            if site.latitude is None or site.longitude is None:
                continue
            value = row.values.get(kpi.code)
            points.append(
                {
                    "id": site.pk,
                    "name": site.name,
                    "lat": site.latitude,
                    "lng": site.longitude,
                    "value": None if value is None else float(round(value, 2)),
                    "label": format_value(value, kpi, row.currency),
                    "pilot": site.is_pilot,
                }
            )
    currencies = {places[pk].currency for pk in ids}
    return Dashboard(
        form=form,
        filters=filters,
        places=places,
        organization_ids=ids,
        kpis=kpis,
        kpi=kpi,
        headline=headline[0] if headline else None,
        comparison=comparison,
        table=table,
        series=series,
        map_points=points,
        currency=currencies.pop() if len(currencies) == 1 else "",
    )


def sections_with_sites(places) -> list[str]:
    kinds = {site.kind for site in places.values()}
    return [code for code, section_kinds in SECTION_KINDS.items() if kinds & section_kinds]


def format_value(value: Decimal | None, kpi: registry.Kpi, currency: str = "") -> str:
    """A KPI's value as people read it: 94.4 %, 4 days, 1 250 000 UZS; an em dash when there is nothing to show."""
    if value is None:
        return "—"
    if kpi.unit in (registry.COUNT, registry.MONEY):
        text = f"{value:,.0f}".replace(",", "\u202f")
        if kpi.unit == registry.MONEY and currency:
            text = f"{text} {currency}"
        return text
    text = f"{value:,.1f}".replace(",", "\u202f")
    if kpi.unit == registry.PERCENT:
        return f"{text} %"
    unit = registry.UNIT_LABELS.get(kpi.unit, "")
    return f"{text} {unit}".strip() if unit else text


def kpi_definitions(kpis) -> list[tuple[str, str, str]]:
    """(label, formula, unit) of each KPI, for the page's notes and the XLSX's definitions sheet."""
    return [
        (str(kpi.label), str(kpi.formula), str(registry.UNIT_LABELS.get(kpi.unit, "")) or "") for kpi in kpis
    ]


def empty_message(dashboard: Dashboard) -> str:
    if not dashboard.organization_ids:
        return _("No site matches these filters.")
    return ""
