"""Each view of a record's full personal data is logged with one INSERT (who, when, which organization and record,
from which address, through which view), and the organization's managers read the log on a page and in the API."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from khizmat.services.tests.factories import VALID_PINFL, ApplicationFactory
from khizmat.tenancy.models import PersonalDataAccess
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import PersonalDataAccessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(org_a):
    return ApplicationFactory(organization=org_a, applicant_phone="+998901234567")


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_a_full_view_is_logged_with_one_insert(application, operator_a, client_of, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = client_of(operator_a)
    url = reverse("services:application_detail", args=[application.pk])

    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1")

    on_log = [q["sql"] for q in queries if PersonalDataAccess._meta.db_table in q["sql"]]
    assert len(on_log) == 1 and on_log[0].lstrip().upper().startswith("INSERT")
    entry = PersonalDataAccess.objects.get()
    assert (entry.organization_id, entry.user_id) == (application.organization_id, operator_a.pk)
    assert (entry.record_type, entry.record_id, entry.record_label) == (
        "services.application",
        application.pk,
        application.number,
    )
    assert entry.view == "services:application_detail"
    assert entry.address == "203.0.113.7"
    assert abs(entry.at - timezone.now()) < datetime.timedelta(minutes=1)


def test_a_masked_view_and_a_list_log_nothing(application, org_a, member, client_of):
    auditor = member(org_a, Role.AUDITOR)
    client_of(auditor).get(reverse("services:application_detail", args=[application.pk]))
    _api(member(org_a, Role.OPERATOR)).get("/api/v1/applications/")

    assert not PersonalDataAccess.objects.exists()


def test_the_api_detail_is_logged(application, operator_a):
    _api(operator_a).get(f"/api/v1/applications/{application.pk}/")

    entry = PersonalDataAccess.objects.get()
    assert (entry.view, entry.record_id, entry.user_id) == (
        "api:application-detail",
        application.pk,
        operator_a.pk,
    )


def test_managers_read_and_filter_the_log(application, org_a, org_b, member, client_of):
    manager, operator = member(org_a, Role.MANAGER), member(org_a, Role.OPERATOR, last_name="Yusupova")
    other = ApplicationFactory(organization=org_a, applicant_id_number="41507900123451")
    client = client_of(operator)
    client.get(reverse("services:application_detail", args=[application.pk]))
    client.get(reverse("services:application_detail", args=[other.pk]))
    PersonalDataAccessFactory(organization=org_b, record_label="B-SECRET-1")
    url = reverse("tenancy:personal_data_access_list")

    page = client_of(manager).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert application.number in page and other.number in page and "B-SECRET-1" not in page

    by_person = client_of(manager).get(url, {"person": VALID_PINFL}).content.decode()
    assert application.number in by_person and other.number not in by_person
    by_phone = client_of(manager).get(url, {"person": "90 123 45 67"}).content.decode()
    assert application.number in by_phone and other.number not in by_phone
    by_user = client_of(manager).get(url, {"user": manager.pk}).content.decode()
    assert application.number not in by_user
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    by_date = client_of(manager).get(url, {"date_from": tomorrow}).content.decode()
    assert application.number not in by_date
    wrong = client_of(manager).get(
        url, {"date_from": tomorrow, "date_to": "2020-01-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The start date is after the end date." in wrong.content.decode()


def test_only_managers_auditors_and_admins_read_the_log(org_a, member, client_of):
    url = reverse("tenancy:personal_data_access_list")
    assert client_of(member(org_a, Role.OPERATOR)).get(url).status_code == 403
    assert client_of(member(org_a, Role.MONITOR)).get(url).status_code == 403
    assert client_of(member(org_a, Role.AUDITOR)).get(url).status_code == 200


def test_the_api_lists_the_log_read_only(org_a, org_b, member):
    own = PersonalDataAccessFactory(organization=org_a)
    PersonalDataAccessFactory(organization=org_b)
    client = _api(member(org_a, Role.MANAGER))

    rows = client.get("/api/v1/personal-data-access/").json()["results"]

    assert [row["id"] for row in rows] == [own.pk]
    assert client.post("/api/v1/personal-data-access/", {}).status_code in (403, 405)
    assert client.delete(f"/api/v1/personal-data-access/{own.pk}/").status_code in (403, 405)
    assert PersonalDataAccess.objects.filter(pk=own.pk).exists()
    assert _api(member(org_a, Role.OPERATOR)).get("/api/v1/personal-data-access/").status_code == 403
