"""An application's day is the service center's day (Asia/Tashkent), whatever zone the server runs in: received at
00:30 local it belongs to the new day — its due date, and on New Year's night its number's year."""

import datetime
import zoneinfo

import pytest
from django.test import override_settings

from khizmat.services.tests.factories import ServiceFactory
from khizmat.services.tests.test_application_register import _register
from khizmat.tenancy.roles import Role

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")


@override_settings(TIME_ZONE="UTC")
@pytest.mark.django_db
def test_an_application_just_after_local_midnight_belongs_to_the_new_day(org_a, member):
    operator = member(org_a, Role.OPERATOR)
    service = ServiceFactory(organization=org_a, deadline_working_days=1)

    # Friday 2026-12-11 at 00:30 in Tashkent is still Thursday in UTC. One working day after Friday is Saturday
    # the 12th, worked in exchange for 31 December.
    friday = _register(
        org_a, operator, service, received_at=datetime.datetime(2026, 12, 11, 0, 30, tzinfo=TASHKENT)
    )
    assert friday.due_date == datetime.date(2026, 12, 12)

    new_year = _register(
        org_a, operator, service, received_at=datetime.datetime(2027, 1, 1, 0, 30, tzinfo=TASHKENT)
    )
    assert "-2027-000001" in new_year.number
