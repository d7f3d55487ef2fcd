"""Open data: opt-in per organization, a public page with standards and figures, the same as CSV and JSON."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from khizmat.monitoring.services import kpi_rebuild
from khizmat.services.tests.factories import ApplicationFactory, ServiceFactory
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    organization = OrganizationFactory(code="dehkanabad", name="Dehkanabad PSC")
    ServiceFactory(organization=organization, name="Birth certificate", deadline_working_days=3)
    today = local_today(organization)
    for _ in range(4):
        ApplicationFactory(
            organization=organization,
            applicant_name="Hidden Citizen",
            received_at=timezone.now(),
            due_date=today + datetime.timedelta(days=3),
        )
    kpi_rebuild()
    return organization


def test_unpublished_page_does_not_exist(client, center):
    assert client.get(reverse("monitoring:open_data", args=[center.code])).status_code == 404
    assert client.get(reverse("monitoring:open_data_file", args=[center.code, "json"])).status_code == 404


def test_director_publishes_and_citizens_read_it(client, center):
    manager = MembershipFactory(organization=center, role=Role.MANAGER)
    client.force_login(manager.user)
    assert client.post(reverse("monitoring:open_data_settings"), {"published": "1"}).status_code == 302
    client.logout()
    page = client.get(reverse("monitoring:open_data", args=[center.code]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Birth certificate" in html and "Applications received" in html
    assert "Hidden Citizen" not in html
    data = client.get(reverse("monitoring:open_data_file", args=[center.code, "json"])).json()
    received = next(f for f in data["figures"] if f["code"] == "applications.received")
    assert received["value"] == 4
    csv = client.get(reverse("monitoring:open_data_file", args=[center.code, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert csv.splitlines()[0] == "month,code,figure,value,unit"
    assert "applications.received" in csv
    assert center.code in client.get(reverse("monitoring:open_data_index")).content.decode()


def test_withdrawn_page_disappears_and_operator_cannot_publish(client, center):
    manager = MembershipFactory(organization=center, role=Role.MANAGER)
    client.force_login(manager.user)
    client.post(reverse("monitoring:open_data_settings"), {"published": "1"})
    client.post(reverse("monitoring:open_data_settings"), {"published": "0"})
    assert client.get(reverse("monitoring:open_data", args=[center.code])).status_code == 404
    operator = MembershipFactory(organization=center, role=Role.OPERATOR)
    client.force_login(operator.user)
    assert client.post(reverse("monitoring:open_data_settings"), {"published": "1"}).status_code == 403


def test_api_publishes_through_the_same_service(client, center):
    manager = MembershipFactory(organization=center, role=Role.MANAGER)
    client.force_login(manager.user)
    url = "/api/v1/monitoring/open-data/"
    assert client.get(url).json() == {"published": False, "url": ""}
    answer = client.post(url, {"published": True}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["published"] is True
    assert client.get(reverse("monitoring:open_data", args=[center.code])).status_code == 200
    assert client.post(url, {"published": "maybe"}, content_type="application/json").status_code == 400
