"""Reading KPIs: per organization or territory, per period, as tables and time series, from the stored measures.

Nothing here reads a raw table: a national dashboard adds up month rows of :class:`MeasureValue` (organizations ×
measures × months) and rolls them up in Python over a few hundred organizations. Territories are the
organization's settlement, district, region and country; a funder project is the set of organizations it oversees
(``Oversight`` of kind *funding*), and those are the **pilot** sites.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from khizmat.core.translated import first_filled, name_columns
from khizmat.monitoring import registry
from khizmat.monitoring.models import Granularity, MeasureValue
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.models import Organization, Oversight
from khizmat.tenancy.scoping import scopes_disabled

GROUPS = {
    "organization": _("Organization"),
    "settlement": _("Settlement"),
    "district": _("District"),
    "region": _("Region"),
    "country": _("Country"),
    "funder_project": _("Funder project"),
    "pilot": _("Pilot sites and others"),
}
PILOT = "pilot"
OTHERS = "others"


@dataclasses.dataclass
class Site:
    """An organization as the dashboards place it: its territory, its currency, the projects that fund it."""

    pk: int
    code: str
    name: str
    kind: str
    currency: str
    country_id: int
    country: str
    region_id: int | None
    region: str
    district_id: int | None
    district: str
    settlement_id: int | None
    settlement: str
    latitude: float | None
    longitude: float | None
    projects: list[int]

    @property
    def is_pilot(self) -> bool:
        return bool(self.projects)


def sites(organization_ids: Iterable[int]) -> dict[int, Site]:
    """The organizations with their places and funder projects (one query each, whatever their number)."""
    ids = list(organization_ids)
    projects: dict[int, list[int]] = defaultdict(list)
    for overseen, overseer in Oversight.objects.filter(
        overseen_id__in=ids, kind=OversightKind.FUNDING, overseer__kind=OrganizationKind.FUNDER_PROJECT
    ).values_list("overseen_id", "overseer_id"):
        projects[overseen].append(overseer)
    # Plain rows of the columns a site needs (model instances of five tables, each with five languages of names, cost
    # more than the query); names in the active language with modeltranslation's fallbacks.
    related = ("", "country__", "region__", "district__", "settlement__")
    names = {prefix: name_columns("name", prefix) for prefix in related}
    rows = Organization.objects.filter(pk__in=ids).values(
        "id",
        "code",
        "kind",
        "country_id",
        "region_id",
        "district_id",
        "settlement_id",
        "country__currency",
        "settlement__latitude",
        "settlement__longitude",
        *{column for columns in names.values() for column in columns},
    )

    def name(row, prefix):
        return first_filled(row, names[prefix])

    result = {}
    for row in rows:
        latitude, longitude = row["settlement__latitude"], row["settlement__longitude"]
        result[row["id"]] = Site(
            pk=row["id"],
            code=row["code"],
            name=name(row, ""),
            kind=row["kind"],
            currency=row["country__currency"],
            country_id=row["country_id"],
            country=name(row, "country__"),
            region_id=row["region_id"],
            region=name(row, "region__"),
            district_id=row["district_id"],
            district=name(row, "district__"),
            settlement_id=row["settlement_id"],
            settlement=name(row, "settlement__"),
            latitude=float(latitude) if latitude is not None else None,
            longitude=float(longitude) if longitude is not None else None,
            projects=sorted(projects.get(row["id"], [])),
        )
    return result


def funder_projects(organization_ids: Iterable[int] | None = None) -> list[Organization]:
    """Funder projects overseeing any of these organizations (all projects when None)."""
    projects = Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT, is_active=True)
    if organization_ids is not None:
        projects = projects.filter(
            oversight_given__overseen_id__in=list(organization_ids),
            oversight_given__kind=OversightKind.FUNDING,
        )
    return list(projects.distinct().order_by("name"))


def _group_keys(site: Site, group_by: str | None) -> list[tuple[object, str]]:
    """The groups an organization adds to: usually one; a site funded by two projects adds to both."""
    if group_by is None:
        return [("all", "")]
    if group_by == "organization":
        return [(site.pk, site.name)]
    if group_by == "pilot":
        return [(PILOT, str(_("Pilot sites")))] if site.is_pilot else [(OTHERS, str(_("Other sites")))]
    if group_by == "funder_project":
        return [(pk, "") for pk in site.projects]
    key = getattr(site, f"{group_by}_id")
    return [(key, getattr(site, group_by) or str(_("Not set")))]


def _measure_codes(kpis: Sequence[registry.Kpi]) -> tuple[list[str], list[str]]:
    codes = sorted({code for kpi in kpis for code in kpi.measures})
    stocks = [c for c in codes if registry.measure(c).kind == registry.STOCK]
    return [c for c in codes if c not in stocks], stocks


def _month_rows(organization_ids, flows, stocks, month_from, month_to, by_month: bool, per_organization=True):
    """Summed month rows ``(organization_id, start, measure, bucket, total, count)``: flows over the months, stocks
    at the last month (or each month when ``by_month``, else ``start`` is None); per organization, or summed over
    them all (``per_organization=False``: ``organization_id`` is None, and a histogram comes back as one row per
    bucket, not one per organization and bucket).

    A histogram's rows (an hour or a working day each: most of the rows read) carry counts only, so their sum reads
    no ``total``: at national scale that is a fifth of the query's time."""
    base = MeasureValue.objects.filter(
        organization_id__in=list(organization_ids), granularity=Granularity.MONTH
    )
    months = {"start__gte": month_from, "start__lte": month_to}
    histograms = [code for code in flows if registry.measure(code).kind == registry.HISTOGRAM]
    plain = [code for code in flows if code not in histograms]
    queries = [  # (measures, months, whether their totals count)
        (plain, months, True),
        (histograms, months, False),
        (stocks, months if by_month else {"start": month_to}, True),
    ]
    group = (["organization_id"] if per_organization else []) + (["start"] if by_month else [])
    group += ["measure", "bucket"]
    rows = []
    for measures, period, with_total in queries:
        if not measures:
            continue
        sums = {"count_sum": Sum("count"), **({"total_sum": Sum("total")} if with_total else {})}
        values = base.filter(measure__in=measures, **period).values(*group).annotate(**sums).order_by()
        for row in values.values_list(*group, *sums):
            organization_id = row[0] if per_organization else None
            start = row[len(group) - 3] if by_month else None
            measure, bucket, count = row[len(group) - 2], row[len(group) - 1], row[len(group)]
            rows.append((organization_id, start, measure, bucket, row[-1] if with_total else 0, count))
    return rows


@dataclasses.dataclass
class KpiRow:
    key: object
    label: str
    values: dict[str, Decimal | None]
    organizations: int
    currency: str


def organization_totals(
    places: dict[int, Site],
    kpis: Sequence[registry.Kpi],
    month_from: datetime.date,
    month_to: datetime.date,
) -> dict[int, registry.Totals]:
    """Each organization's summed measures over the months (one query), for :func:`group_rows`."""
    flows, stocks = _measure_codes(kpis)
    per_org: dict[int, registry.Totals] = defaultdict(registry.Totals)
    with scopes_disabled():
        for organization_id, _start, measure, bucket, total, count in _month_rows(
            places, flows, stocks, month_from, month_to, by_month=False
        ):
            per_org[organization_id].add(measure, bucket, total, count)
    return per_org


def group_rows(
    places: dict[int, Site],
    per_org: dict[int, registry.Totals],
    kpis: Sequence[registry.Kpi],
    group_by: str | None = "organization",
) -> list[KpiRow]:
    """One row per group of these organizations, from their totals (:func:`organization_totals`): the same totals
    grouped several ways cost one query."""
    groups: dict[object, registry.Totals] = {}
    labels: dict[object, str] = {}
    members: dict[object, set[int]] = defaultdict(set)
    for site in places.values():
        own = per_org.get(site.pk)
        if group_by == "organization":  # each its own group: its totals as they are, not added up afresh
            groups[site.pk] = own if own is not None else registry.Totals()
            groups[site.pk].currencies = {site.currency}
            labels[site.pk] = site.name
            members[site.pk].add(site.pk)
            continue
        for key, label in _group_keys(site, group_by):
            totals = groups.setdefault(key, registry.Totals())
            labels[key] = label
            members[key].add(site.pk)
            totals.currencies.add(site.currency)
            if own is None:
                continue
            for code, value in own.totals.items():
                totals.add(code, registry.NO_BUCKET, value, own.counts.get(code, 0))
            for code, histogram in own.buckets.items():
                for bucket, count in histogram.items():
                    totals.add(code, bucket, 0, count)
    if group_by == "funder_project":
        with scopes_disabled():
            labels.update(dict(Organization.objects.filter(pk__in=list(groups)).values_list("pk", "name")))
    result = [
        KpiRow(
            key=key,
            label=labels[key],
            values={kpi.code: kpi.value(totals) for kpi in kpis},
            organizations=len(members[key]),
            currency=next(iter(totals.currencies)) if len(totals.currencies) == 1 else "",
        )
        for key, totals in groups.items()
    ]
    return sorted(result, key=lambda row: (str(row.label), str(row.key)))


def kpi_table(
    *,
    organization_ids: Sequence[int],
    kpis: Sequence[registry.Kpi],
    month_from: datetime.date,
    month_to: datetime.date,
    group_by: str | None = "organization",
    places: dict[int, Site] | None = None,
) -> list[KpiRow]:
    """One row per group (organization, district, region, country, funder project, pilot or not) with each KPI's
    value over the months ``month_from``..``month_to`` (first days of months, inclusive)."""
    with scopes_disabled():
        places = sites(organization_ids) if places is None else {pk: places[pk] for pk in organization_ids}
        return group_rows(places, organization_totals(places, kpis, month_from, month_to), kpis, group_by)


def kpi_series(
    *,
    organization_ids: Sequence[int],
    kpis: Sequence[registry.Kpi],
    month_from: datetime.date,
    month_to: datetime.date,
    places: dict[int, Site] | None = None,
) -> list[tuple[datetime.date, dict[str, Decimal | None]]]:
    """Month by month, the KPIs of all these organizations together (a stock: its value at each month's end).
    Summed in the database: a histogram comes back as one row per month and bucket, whatever the sites' number."""
    with scopes_disabled():
        if places is None:
            places = sites(organization_ids)
        ids = list(organization_ids)
        currencies = {places[pk].currency for pk in ids}
        flows, stocks = _measure_codes(kpis)
        per_month: dict[datetime.date, registry.Totals] = {}
        for _organization, start, measure, bucket, total, count in _month_rows(
            ids, flows, stocks, month_from, month_to, by_month=True, per_organization=False
        ):
            per_month.setdefault(start, registry.Totals()).add(measure, bucket, total, count)
    series = []
    month = month_from
    while month <= month_to:
        totals = per_month.get(month, registry.Totals())
        totals.currencies = set(currencies)
        series.append((month, {kpi.code: kpi.value(totals) for kpi in kpis}))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return series


def kpi_days(
    *,
    organization_ids: Sequence[int],
    kpis: Sequence[registry.Kpi],
    date_from: datetime.date,
    date_to: datetime.date,
) -> list[tuple[datetime.date, dict[str, Decimal | None]]]:
    """Day by day, the flow and histogram KPIs of these organizations together (stocks have month values only)."""
    with scopes_disabled():
        places = sites(organization_ids)
        currencies = {site.currency for site in places.values()}
        flows, _stocks = _measure_codes(kpis)
        per_day: dict[datetime.date, registry.Totals] = {}
        for row in (
            MeasureValue.objects.filter(
                organization_id__in=list(places),
                granularity=Granularity.DAY,
                measure__in=flows,
                start__gte=date_from,
                start__lte=date_to,
            )
            .values("start", "measure", "bucket")
            .annotate(total_sum=Sum("total"), count_sum=Sum("count"))
            .order_by()
        ):
            per_day.setdefault(row["start"], registry.Totals()).add(
                row["measure"], row["bucket"], row["total_sum"], row["count_sum"]
            )
    daily = [kpi for kpi in kpis if all(registry.measure(c).kind != registry.STOCK for c in kpi.measures)]
    result = []
    day = date_from
    while day <= date_to:
        totals = per_day.get(day, registry.Totals())
        totals.currencies = set(currencies)
        result.append((day, {kpi.code: kpi.value(totals) for kpi in daily}))
        day += datetime.timedelta(days=1)
    return result


def open_data_organizations() -> list[Organization]:
    """The organizations that publish their open data, by name."""
    from khizmat.monitoring.models import OpenDataPublication

    with scopes_disabled():
        ids = OpenDataPublication.objects.filter(is_published=True).values_list("organization_id", flat=True)
        return list(Organization.objects.filter(pk__in=list(ids), is_active=True).order_by("name"))


def open_data_published(organization) -> bool:
    from khizmat.monitoring.models import OpenDataPublication

    with scopes_disabled():
        return OpenDataPublication.objects.filter(organization=organization, is_published=True).exists()


def open_data_figures(organization, *, month_from: datetime.date, month_to: datetime.date):
    """The public KPIs of one organization: (kpis, total row, month series)."""
    public = [kpi for kpi in registry.kpis() if kpi.public]
    ids = [organization.pk]
    total = kpi_table(
        organization_ids=ids, kpis=public, month_from=month_from, month_to=month_to, group_by=None
    )
    series = kpi_series(organization_ids=ids, kpis=public, month_from=month_from, month_to=month_to)
    values = total[0].values if total else {}
    shown = [kpi for kpi in public if values.get(kpi.code) is not None]
    return shown, (total[0] if total else None), series


# --- Funder projects: indicators, baselines, targets, actuals --------------------------------------------------


def pilot_sites(project) -> list[Organization]:
    """The organizations a funder project funds (Oversight of kind funding), by name."""
    return list(
        Organization.objects.filter(
            oversight_received__overseer=project, oversight_received__kind=OversightKind.FUNDING
        ).order_by("name")
    )


@dataclasses.dataclass
class IndicatorRow:
    indicator: object
    site: Organization
    baseline: Decimal | None
    baseline_date: datetime.date | None
    target: Decimal | None
    target_date: datetime.date | None
    actual: Decimal | None
    actual_source: str

    @property
    def progress(self) -> Decimal | None:
        """How far from the baseline towards the target the actual value has come, in %."""
        if self.actual is None or self.target is None:
            return None
        start = self.baseline if self.baseline is not None else Decimal(0)
        if self.target == start:
            return None
        return Decimal(100) * (self.actual - start) / (self.target - start)


def indicator_rows(project, *, month_from: datetime.date, month_to: datetime.date) -> list[IndicatorRow]:
    """Each indicator of the project at each pilot site: baseline, target and the actual value of the period — a
    KPI's value over the months for a measured indicator, else the latest value entered by the period's end."""
    from khizmat.monitoring.models import Indicator, IndicatorResult, IndicatorTarget

    with scopes_disabled():
        sites_ = pilot_sites(project)
        indicators = list(Indicator.objects.filter(organization=project).order_by("code"))
        targets = {
            (t.indicator_id, t.site_id): t for t in IndicatorTarget.objects.filter(organization=project)
        }
        period_end = (month_to + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        latest: dict[tuple[int, int], IndicatorResult] = {}
        for result in IndicatorResult.objects.filter(organization=project, as_of__lte=period_end).order_by(
            "as_of"
        ):
            latest[(result.indicator_id, result.site_id)] = result
        measured = [registry.kpi(i.kpi) for i in indicators if i.kpi and registry.kpi(i.kpi)]
        values: dict[int, dict[str, Decimal | None]] = {}
        if measured and sites_:
            unique = list({kpi.code: kpi for kpi in measured}.values())
            for row in kpi_table(
                organization_ids=[s.pk for s in sites_],
                kpis=unique,
                month_from=month_from,
                month_to=month_to,
                group_by="organization",
            ):
                values[row.key] = row.values
    rows = []
    for indicator in indicators:
        section = (
            registry.kpi(indicator.kpi).section if indicator.kpi and registry.kpi(indicator.kpi) else None
        )
        for site in sites_:
            target = targets.get((indicator.pk, site.pk))
            if target is None and section and site.kind not in registry.SECTION_KINDS[section]:
                continue  # a measured indicator that cannot apply here (a queue KPI at an aiyl okmotu)
            if indicator.kpi:
                actual = values.get(site.pk, {}).get(indicator.kpi)
                source = str(_("Khizmat"))
            else:
                result = latest.get((indicator.pk, site.pk))
                actual = result.value if result else None
                source = f"{result.source} ({result.as_of:%d.%m.%Y})".strip() if result else ""
            rows.append(
                IndicatorRow(
                    indicator=indicator,
                    site=site,
                    baseline=target.baseline if target else None,
                    baseline_date=target.baseline_date if target else None,
                    target=target.target if target else None,
                    target_date=target.target_date if target else None,
                    actual=actual,
                    actual_source=source,
                )
            )
    return rows
