"""The working-day calendar: weekly days off, public holidays and admin-entered exceptions per country.

Legal deadlines are counted in working days: :func:`add_working_days` gives the due date of an application
received on a date with a deadline of N working days.
"""

import datetime

from khizmat.tenancy.choices import CalendarDayKind
from khizmat.tenancy.models import Country
from khizmat.tenancy.selectors import calendar_exceptions

# How far ahead to load exceptions at once; a deadline of N working days never spans more than 2N + 60 days.
_WINDOW_SLACK_DAYS = 60


def _is_working(day: datetime.date, weekend: frozenset[int], exceptions: dict[datetime.date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == CalendarDayKind.WORKING_DAY:
        return True
    if kind in (CalendarDayKind.HOLIDAY, CalendarDayKind.DAY_OFF):
        return False
    return day.weekday() not in weekend


def is_working_day(country: Country, day: datetime.date) -> bool:
    return _is_working(day, country.weekend, calendar_exceptions(country=country, start=day, end=day))


def add_working_days(country: Country, start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted; 0 gives the next working day
    on or after ``start``)."""
    if days < 0:
        raise ValueError("days must not be negative")
    end = start + datetime.timedelta(days=2 * days + _WINDOW_SLACK_DAYS)
    exceptions = calendar_exceptions(country=country, start=start, end=end)
    weekend = country.weekend
    day = start
    if days == 0:
        while not _is_working(day, weekend, exceptions):
            day += datetime.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if day > end:  # very long holidays: load the next window
            end = day + datetime.timedelta(days=2 * remaining + _WINDOW_SLACK_DAYS)
            exceptions |= calendar_exceptions(country=country, start=day, end=end)
        if _is_working(day, weekend, exceptions):
            remaining -= 1
    return day


def working_days_between(country: Country, start: datetime.date, end: datetime.date) -> int:
    """Working days in the half-open interval (start, end]."""
    if end <= start:
        return 0
    exceptions = calendar_exceptions(country=country, start=start, end=end)
    weekend = country.weekend
    return sum(
        _is_working(start + datetime.timedelta(days=offset), weekend, exceptions)
        for offset in range(1, (end - start).days + 1)
    )
