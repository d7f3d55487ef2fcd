"""Kiosk and display board by secret link; the operator's window page."""

from django.urls import reverse

from khizmat.queue import services
from khizmat.queue.models import QueueScreen, QueueTicket
from khizmat.queue.tests.factories import CounterFactory, QueueScreenFactory, ServiceGroupFactory


def test_the_kiosk_issues_a_ticket_without_login(org_a, client):
    group = ServiceGroupFactory(organization=org_a, letter="A", name="Civil registry")
    kiosk = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.KIOSK, language="uz")
    url = reverse("queue:kiosk", args=[org_a.code, kiosk.token])

    assert client.get(url).status_code == 200
    response = client.post(url, {"group": group.pk})

    assert response.status_code == 200
    assert "A-001" in response.content.decode()
    assert response["Content-Language"] == "uz"
    assert QueueTicket.objects.filter(organization=org_a).count() == 1


def test_a_wrong_token_or_another_organizations_code_is_not_found(org_a, org_b, client):
    kiosk = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.KIOSK)
    board = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.BOARD)
    assert client.get(reverse("queue:kiosk", args=[org_a.code, "guess"])).status_code == 404
    assert client.get(reverse("queue:kiosk", args=[org_b.code, kiosk.token])).status_code == 404
    assert client.get(reverse("queue:kiosk", args=[org_a.code, board.token])).status_code == 404


def test_a_foreign_group_cannot_be_drawn_from_a_kiosk(org_a, org_b, client):
    kiosk = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.KIOSK)
    foreign = ServiceGroupFactory(organization=org_b)
    response = client.post(reverse("queue:kiosk", args=[org_a.code, kiosk.token]), {"group": foreign.pk})
    assert response.status_code == 400
    assert not QueueTicket.objects.exists()


def test_the_board_shows_the_latest_call_and_updates_by_htmx(org_a, operator_a, client):
    group = ServiceGroupFactory(organization=org_a, letter="A")
    window = CounterFactory(organization=org_a, number=3, group_letters="A")
    board = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.BOARD, language="ky")
    url = reverse("queue:board", args=[org_a.code, board.token])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page

    services.ticket_issue(organization=org_a, group=group)
    services.ticket_call_next(actor=operator_a, counter=window)

    partial = client.get(url, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "A-001" in body
    assert "<html" not in body
    assert partial["Content-Language"] == "ky"


def test_the_board_clock_ticks_in_the_organizations_time(org_a, client):
    from django.utils import timezone

    board = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.BOARD)
    page = client.get(reverse("queue:board", args=[org_a.code, board.token])).content.decode()
    offset = int(timezone.localtime().utcoffset().total_seconds())
    assert "queue/clock.js" in page and "<script>" not in page  # a static file: CSP forbids inline scripts
    assert f'data-offset-seconds="{offset}"' in page and "data-server-ms=" in page


def test_the_kiosk_is_rate_limited(org_a, client, settings):
    group = ServiceGroupFactory(organization=org_a)
    kiosk = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.KIOSK)
    url = reverse("queue:kiosk", args=[org_a.code, kiosk.token])
    statuses = [client.post(url, {"group": group.pk}).status_code for _ in range(62)]
    assert statuses[:60] == [200] * 60
    assert statuses[-1] == 429


def test_operator_calls_and_serves_from_the_window_page(org_a, operator_a, client):
    group = ServiceGroupFactory(organization=org_a, letter="B")
    window = CounterFactory(organization=org_a, number=2, group_letters="B")
    services.ticket_issue(organization=org_a, group=group)
    client.force_login(operator_a)
    act = reverse("queue:counter_action", args=[window.pk])

    client.post(act, {"action": "call_next"})
    page = client.get(reverse("queue:counter", args=[window.pk])).content.decode()
    assert "B-001" in page
    client.post(act, {"action": "start"})
    client.post(act, {"action": "finish"})

    assert QueueTicket.objects.get(organization=org_a).status == "served"
