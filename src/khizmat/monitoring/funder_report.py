"""A funder project's progress report for a period: the tables a UNDP or SDC progress report asks for.

1. indicators: baseline, target, actual and progress per pilot site (:func:`selectors.indicator_rows`);
2. equipment delivered to the pilot sites in the period, by site and type, with its cost;
3. trainings and events held, with participants by sex, and the people trained by sex per site.

The same :func:`report` feeds the Excel workbook and the PDF (``documents.py``), so the two cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from khizmat.inventory.choices import EquipmentStatus, EquipmentType
from khizmat.inventory.selectors import equipment_summary, equipment_totals
from khizmat.monitoring import selectors
from khizmat.monitoring.forms import add_months
from khizmat.tenancy.scoping import scopes_disabled
from khizmat.trainings.choices import EventKind
from khizmat.trainings.selectors import SexCounts, participant_counts


@dataclasses.dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]
    numeric: set[int] = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class Report:
    project: object
    start: datetime.date
    end: datetime.date
    sites: list
    tables: list[Table]

    @property
    def last_day(self) -> datetime.date:
        return add_months(self.end, 1) - datetime.timedelta(days=1)


def _number(value) -> float | None:
    return None if value is None else float(round(Decimal(value), 2))


def _indicators(project, start, end) -> Table:
    rows = []
    for row in selectors.indicator_rows(project, month_from=start, month_to=end):
        rows.append(
            [
                row.indicator.code,
                row.indicator.name,
                row.site.name,
                _number(row.baseline),
                _number(row.target),
                _number(row.actual),
                None if row.progress is None else round(float(row.progress)),
                row.actual_source,
            ]
        )
    return Table(
        _("Indicators: baseline, target and actual per pilot site"),
        [
            _("Code"),
            _("Indicator"),
            _("Pilot site"),
            _("Baseline"),
            _("Target"),
            _("Actual"),
            _("Progress, %"),
            _("Source"),
        ],
        rows,
        numeric={3, 4, 5, 6},
    )


def _money(amounts: dict) -> str:
    return "; ".join(
        f"{amount:,.2f} {currency}".replace(",", " ") for currency, amount in sorted(amounts.items())
    )


def _equipment(project, sites, first, last) -> Table:
    """Units delivered to the pilot sites in the period under this project, by site and type, with their state."""
    names = {site.pk: site.name for site in sites}
    summary = equipment_summary(
        organization_ids=list(names), funder_project=project, delivered_from=first, delivered_to=last
    )
    types = dict(EquipmentType.choices)
    statuses = list(EquipmentStatus)
    rows = [
        [names[row.organization_id], str(types.get(row.type, row.type)), row.count, _money(row.cost)]
        + [row.by_status.get(status, 0) for status in statuses]
        for row in summary
    ]
    if summary:
        totals = equipment_totals(summary)
        rows.append(
            [_("Total"), "", totals["count"], _money(totals["cost"])]
            + [totals["by_status"].get(status, 0) for status in statuses]
        )
    return Table(
        _("Equipment delivered"),
        [_("Pilot site"), _("Type"), _("Units"), _("Cost")] + [str(status.label) for status in statuses],
        rows,
        numeric={2, *range(4, 4 + len(statuses))},
    )


def _sex_cells(counts) -> list:
    return [
        counts.registered_female,
        counts.registered_male,
        counts.registered,
        counts.attended_female,
        counts.attended_male,
        counts.attended,
    ]


SEX_COLUMNS = (
    _("Registered, women"),
    _("Registered, men"),
    _("Registered"),
    _("Attended, women"),
    _("Attended, men"),
    _("Attended"),
)


def _trainings(project, sites, first, last) -> list[Table]:
    """Events of the project held in the period, and the people trained by sex per pilot site."""
    counts = participant_counts(funder_project=project, date_from=first, date_to=last)
    kinds = dict(EventKind.choices)
    events = [
        [
            f"{event.start_date:%d.%m.%Y}"
            + (f" – {event.end_date:%d.%m.%Y}" if event.end_date != event.start_date else ""),
            event.topic,
            str(kinds.get(event.kind, event.kind)),
            *_sex_cells(event.counts),
        ]
        for event in sorted(counts.events, key=lambda e: (e.start_date, e.topic))
    ]
    if counts.events:
        events.append([_("Total"), "", "", *_sex_cells(counts.totals)])
    names = {site.pk: site.name for site in sites}
    per_site = sorted(
        [names[group.organization_id], *_sex_cells(group.counts)]
        for group in counts.by_organization
        if group.organization_id in names
    )
    others = [group.counts for group in counts.by_organization if group.organization_id not in names]
    if others:
        rest = SexCounts()
        for group in others:
            for name in ("registered_female", "registered_male", "attended_female", "attended_male"):
                setattr(rest, name, getattr(rest, name) + getattr(group, name))
        per_site.append([_("Other organizations"), *_sex_cells(rest)])
    return [
        Table(
            _("Trainings and events held"),
            [_("Dates"), _("Topic"), _("Kind"), *SEX_COLUMNS],
            events,
            numeric=set(range(3, 9)),
        ),
        Table(
            _("People trained by sex, per pilot site"),
            [_("Organization"), *SEX_COLUMNS],
            sorted(per_site[:-1] if others else per_site, key=lambda row: row[0])
            + (per_site[-1:] if others else []),
            numeric=set(range(1, 7)),
        ),
    ]


def report(project, *, start: datetime.date, end: datetime.date) -> Report:
    sites = selectors.pilot_sites(project)
    last = add_months(end, 1) - datetime.timedelta(days=1)
    with scopes_disabled():  # the pilot sites' equipment and the project's events, whoever organized them
        tables = [_indicators(project, start, end), _equipment(project, sites, start, last)]
        tables += _trainings(project, sites, start, last)
    return Report(project=project, start=start, end=end, sites=sites, tables=tables)
