"""Ticket numbers restart at the service center's midnight (Asia/Tashkent), not at the server's."""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.test import override_settings

from khizmat.queue import services
from khizmat.queue.tests.factories import ServiceGroupFactory

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")


@override_settings(TIME_ZONE="UTC")
@pytest.mark.django_db
def test_ticket_numbers_restart_at_local_midnight(org_a):
    group = ServiceGroupFactory(organization=org_a)
    tickets = []
    for hour, minute in ((23, 50), (0, 10)):
        day = datetime.date(2026, 12, 9) + datetime.timedelta(days=hour == 0)
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TASHKENT)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            tickets.append(services.ticket_issue(organization=org_a, group=group))
    assert [(t.day, t.sequence) for t in tickets] == [
        (datetime.date(2026, 12, 9), 1),
        (datetime.date(2026, 12, 10), 1),
    ]
