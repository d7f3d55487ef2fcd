"""Working days: weekly days off, public holidays of UZ and KG (2025–2027), admin-entered exceptions."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khizmat.tenancy import services
from khizmat.tenancy.calendar import add_working_days, is_working_day, working_days_between
from khizmat.tenancy.choices import CalendarDayKind, CalendarDaySource
from khizmat.tenancy.models import CalendarDay
from khizmat.tenancy.tests.factories import country

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["UZ", "KG"])
@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_public_holidays_are_seeded(code, year):
    days = CalendarDay.objects.filter(country__code=code, date__year=year, kind=CalendarDayKind.HOLIDAY)
    assert days.filter(date=datetime.date(year, 1, 1)).exists()
    assert days.count() >= 8


def test_holiday_names_come_in_the_country_languages():
    nowruz_uz = CalendarDay.objects.get(country__code="UZ", date=datetime.date(2026, 3, 21))
    assert nowruz_uz.name_uz == "Navroʻz bayrami"
    assert nowruz_uz.name_uz_cyrl == "Наврўз байрами"
    nooruz_kg = CalendarDay.objects.get(country__code="KG", date=datetime.date(2026, 3, 21))
    assert nooruz_kg.name_ky == "Элдик Нооруз майрамы"


def test_deadline_skips_weekends_and_holidays():
    uz = country("UZ")
    # Wed 18 Mar 2026 + 3 working days: Thu 19; Fri 20 (Eid al-Fitr), Sat, Sun, Mon 23 (Nowruz observed) off;
    # Tue 24; Wed 25.
    assert add_working_days(uz, datetime.date(2026, 3, 18), 3) == datetime.date(2026, 3, 25)
    assert not is_working_day(uz, datetime.date(2026, 3, 21))
    assert is_working_day(uz, datetime.date(2026, 3, 24))


def test_admin_exceptions_win():
    kg = country("KG")
    saturday = datetime.date(2026, 10, 10)
    assert not is_working_day(kg, saturday)
    CalendarDay.objects.create(
        country=kg, date=saturday, kind=CalendarDayKind.WORKING_DAY, name="Moved working day"
    )
    assert is_working_day(kg, saturday)


def test_reloading_official_days_keeps_admin_edits():
    uz = country("UZ")
    day = CalendarDay.objects.get(country=uz, date=datetime.date(2026, 1, 2))
    day.kind = CalendarDayKind.WORKING_DAY
    day.source = CalendarDaySource.ADMIN
    day.save()

    added = services.calendar_load_official_days(country=uz, years=[2026])

    day.refresh_from_db()
    assert day.kind == CalendarDayKind.WORKING_DAY
    assert added > 0
    assert CalendarDay.objects.filter(country=uz, date__year=2026).count() == added + 1


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2027, 6, 30)),
    days=st.integers(min_value=1, max_value=60),
    code=st.sampled_from(["UZ", "KG"]),
)
def test_due_date_is_a_working_day_exactly_n_working_days_later(start, days, code):
    land = country(code)
    due = add_working_days(land, start, days)
    assert is_working_day(land, due)
    assert working_days_between(land, start, due) == days
