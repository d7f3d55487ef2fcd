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

from khizmat.monitoring import selectors
from khizmat.monitoring.forms import add_months


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


# Sections added by the apps that hold the data (inventory, trainings): provider(project, sites, first, last) → Table.
SECTIONS: list = []


def add_section(provider) -> None:
    if provider not in SECTIONS:
        SECTIONS.append(provider)


def report(project, *, start: datetime.date, end: datetime.date) -> Report:
    sites = selectors.pilot_sites(project)
    last = add_months(end, 1) - datetime.timedelta(days=1)
    tables = [_indicators(project, start, end)]
    for provider in SECTIONS:
        tables.extend(provider(project, sites, start, last))
    return Report(project=project, start=start, end=end, sites=sites, tables=tables)
