"""A background task runs in the zone of its object's organization (a worker serves both countries): the SMS of a
Kyrgyz enterprise is sent with Asia/Bishkek active, whatever zone the worker started in."""

import pytest
from django.test import override_settings
from django.utils import timezone

from khizmat.notifications.models import SmsStatus
from khizmat.notifications.tasks import send_sms
from khizmat.notifications.tests.factories import SmsMessageFactory


class ZoneRecordingBackend:
    zones: list[str] = []

    def send(self, phone, text):
        self.zones.append(timezone.get_current_timezone_name())
        return "id-1"


@override_settings(SMS_BACKEND=f"{__name__}.ZoneRecordingBackend", TIME_ZONE="Asia/Tashkent")
@pytest.mark.django_db
def test_a_task_runs_in_its_organizations_zone(org_b):
    message = SmsMessageFactory(organization=org_b, status=SmsStatus.QUEUED, phone="+996555123456")
    ZoneRecordingBackend.zones.clear()

    assert send_sms.call(message_id=message.pk) == SmsStatus.SENT

    assert ZoneRecordingBackend.zones == ["Asia/Bishkek"]
    assert timezone.get_current_timezone_name() == "Asia/Tashkent"
