"""SMS to citizens in their language: queued with the change, sent after commit, retried, failures visible."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from khizmat.notifications import services
from khizmat.notifications.backends import HttpBackend, SmsError
from khizmat.notifications.models import SmsMessage, SmsStatus
from khizmat.notifications.tests.factories import SmsMessageFactory
from khizmat.services import services as application_services
from khizmat.services.tests.factories import ServiceFactory
from khizmat.services.tests.test_application_register import _register
from khizmat.tenancy.roles import Role


class FakeGateway:
    """A local HTTP SMS gateway: records requests; answers with the status the test sets."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append({"auth": self.headers.get("Authorization"), "body": json.loads(body)})
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"id": f"msg-{len(gateway.requests)}"}).encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    fake = FakeGateway()
    settings.SMS_BACKEND = "khizmat.notifications.backends.HttpBackend"
    settings.SMS_HTTP_URL = fake.url
    settings.SMS_HTTP_AUTH_HEADER = "Bearer secret-token"
    settings.SMS_HTTP_PAYLOAD = '{"recipient": "$phone", "message": "$text", "sender": "$sender"}'
    yield fake
    fake.close()


def test_the_http_backend_posts_the_payload_template(gateway):
    provider_id = HttpBackend().send("+998901234567", "Salom")
    assert provider_id == "msg-1"
    assert gateway.requests == [
        {
            "auth": "Bearer secret-token",
            "body": {"recipient": "+998901234567", "message": "Salom", "sender": "Khizmat"},
        }
    ]


def test_a_gateway_error_is_an_sms_error(gateway):
    gateway.status = 503
    with pytest.raises(SmsError, match="503"):
        HttpBackend().send("+998901234567", "Salom")


def test_registration_sends_an_sms_in_the_citizens_language_after_commit(
    org_a, operator_a, gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _register(
            org_a, operator_a, ServiceFactory(organization=org_a), applicant_language="uz-cyrl"
        )

    message = SmsMessage.objects.get(organization=org_a)
    assert message.status == SmsStatus.SENT
    assert message.provider_id == "msg-1"
    assert application.number in gateway.requests[0]["body"]["message"]
    text = gateway.requests[0]["body"]["message"]
    assert sum("\u0400" <= ch <= "\u04ff" for ch in text) > 10  # Uzbek Cyrillic


def test_rejection_sms_carries_the_reason(
    org_a, operator_a, member, gateway, django_capture_on_commit_callbacks
):
    application = _register(org_a, operator_a, ServiceFactory(organization=org_a))
    application_services.application_transition(
        actor=operator_a, application=application, name="start_review"
    )
    with django_capture_on_commit_callbacks(execute=True):
        application_services.application_transition(
            actor=member(org_a, Role.MANAGER),
            application=application,
            name="reject",
            comment="Pasport nusxasi yoʻq",
        )
    assert "Pasport nusxasi yoʻq" in gateway.requests[-1]["body"]["message"]


def test_failures_are_retried_then_marked_failed(org_a, gateway, django_capture_on_commit_callbacks):
    gateway.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        message = services.sms_queue(
            organization=org_a, phone="+998901234567", language="uz", text="x", event="test"
        )
    message.refresh_from_db()
    assert message.status == SmsStatus.RETRYING
    assert message.next_attempt_at is not None
    assert "500" in message.last_error

    for _ in range(services.MAX_ATTEMPTS - 1):
        services.sms_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == SmsStatus.FAILED
    assert message.attempts == services.MAX_ATTEMPTS
    assert len(gateway.requests) == services.MAX_ATTEMPTS


def test_a_sent_message_is_not_sent_twice(org_a, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.sms_queue(
            organization=org_a, phone="+998901234567", language="uz", text="x", event="test"
        )
    services.sms_send(message_id=message.pk)
    assert len(gateway.requests) == 1


def test_due_retries_are_picked_up_by_the_command(org_a, gateway):
    from django.core.management import call_command
    from django.utils import timezone

    message = SmsMessageFactory(organization=org_a, status=SmsStatus.RETRYING, next_attempt_at=timezone.now())
    call_command("send_pending_sms")
    message.refresh_from_db()
    assert message.status == SmsStatus.SENT


def test_managers_see_failures_and_send_again(
    org_a, member, gateway, client, django_capture_on_commit_callbacks
):
    message = SmsMessageFactory(organization=org_a, last_error="gateway answered 402: balance")
    client.force_login(member(org_a, Role.MANAGER))
    page = client.get(reverse("notifications:message_list")).content.decode()
    assert "balance" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:message_retry", args=[message.pk]))

    message.refresh_from_db()
    assert message.status == SmsStatus.SENT


def test_no_phone_no_sms(org_a):
    assert services.sms_queue(organization=org_a, phone="", language="uz", text="x", event="test") is None
