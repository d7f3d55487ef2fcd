"""Moved working days from the ``holidays`` package: a Saturday worked in exchange for a day off shortens a deadline
that spans its week; an administrator's entry for that date still wins."""

import datetime
import importlib

import pytest
from django.apps import apps

from khizmat.tenancy import services
from khizmat.tenancy.calendar import add_working_days, is_working_day
from khizmat.tenancy.choices import CalendarDayKind, CalendarDaySource
from khizmat.tenancy.models import CalendarDay
from khizmat.tenancy.tests.factories import country

pytestmark = pytest.mark.django_db

UZ_WORKING_SATURDAY = datetime.date(2026, 12, 12)  # worked in exchange for Thursday 2026-12-31
KG_WORKING_SATURDAY = datetime.date(2025, 1, 11)  # worked in exchange for Thursday 2025-01-02


def test_an_uzbek_deadline_across_a_working_saturday_is_a_day_shorter():
    uz = country("UZ")
    day = CalendarDay.objects.get(country=uz, date=UZ_WORKING_SATURDAY)
    assert (day.kind, day.source) == (CalendarDayKind.WORKING_DAY, CalendarDaySource.HOLIDAYS_PACKAGE)
    assert "31.12.2026" in day.name
    assert is_working_day(uz, UZ_WORKING_SATURDAY)
    assert not is_working_day(uz, datetime.date(2026, 12, 31))
    # Thu 10 Dec + 3 working days: Fri 11, Sat 12 (worked), Mon 14 — not Tue 15.
    assert add_working_days(uz, datetime.date(2026, 12, 10), 3) == datetime.date(2026, 12, 14)


def test_a_kyrgyz_deadline_across_a_working_saturday_is_a_day_shorter():
    kg = country("KG")
    assert is_working_day(kg, KG_WORKING_SATURDAY)
    # Thu 9 Jan 2025 + 2 working days: Fri 10, Sat 11 (worked) — not Mon 13.
    assert add_working_days(kg, datetime.date(2025, 1, 9), 2) == KG_WORKING_SATURDAY


def test_an_administrators_entry_keeps_winning():
    uz = country("UZ")
    CalendarDay.objects.filter(country=uz, date=UZ_WORKING_SATURDAY).update(
        kind=CalendarDayKind.DAY_OFF, source=CalendarDaySource.ADMIN, name="Decree: not worked after all"
    )
    services.calendar_load_official_days(country=uz, years=[2026])
    assert CalendarDay.objects.get(country=uz, date=UZ_WORKING_SATURDAY).kind == CalendarDayKind.DAY_OFF
    assert add_working_days(uz, datetime.date(2026, 12, 10), 3) == datetime.date(2026, 12, 15)


def test_a_database_seeded_before_gets_the_moved_working_days_of_its_loaded_years():
    migration = importlib.import_module("khizmat.tenancy.migrations.0006_load_moved_working_days")
    CalendarDay.objects.filter(kind=CalendarDayKind.WORKING_DAY).delete()
    admin_day = CalendarDay.objects.create(
        country=country("KG"), date=KG_WORKING_SATURDAY, kind=CalendarDayKind.DAY_OFF, name="Admin"
    )

    migration.load(apps, None)
    migration.load(apps, None)  # safe to run twice

    working = CalendarDay.objects.filter(kind=CalendarDayKind.WORKING_DAY)
    assert sorted(working.values_list("country__code", "date")) == [
        ("UZ", datetime.date(2025, 1, 4)),
        ("UZ", UZ_WORKING_SATURDAY),
    ]
    admin_day.refresh_from_db()
    assert admin_day.kind == CalendarDayKind.DAY_OFF
