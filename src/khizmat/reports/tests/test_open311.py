"""Open311 GeoReport v2: a PyPI client (georeport) reads what we serve; malformed input gets the standard error
body with a 4xx status, never a 5xx."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from khizmat.reports.models import Report
from khizmat.reports.tests.factories import Open311ClientFactory, ReportFactory, ReportTypeFactory

BASE = "/open311/v2"

ATTRIBUTES = [
    {
        "code": "container",
        "datatype": "string",
        "required": True,
        "description": "Container number",
        "order": 1,
    },
    {
        "code": "how_long",
        "datatype": "singlevaluelist",
        "required": False,
        "description": "How long has it been there?",
        "values": [{"key": "day", "name": "A day"}, {"key": "week", "name": "A week or more"}],
    },
]


@pytest.fixture
def client():
    """Open311 clients are servers and phone apps: no CSRF cookie, no token. Django's test client skips the CSRF
    check unless told; production does not (a wrapper that lost ``csrf_exempt`` once refused every POST)."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def setup(org_b):
    report_type = ReportTypeFactory(
        organization=org_b, code="missed-pickup", name="Missed pickup", attributes=ATTRIBUTES, group="Waste"
    )
    client = Open311ClientFactory(organization=org_b)
    return org_b, report_type, client


def _post(client, org, key, **data):
    payload = {"jurisdiction_id": org.code, "api_key": key, "service_code": "missed-pickup", **data}
    return client.post(f"{BASE}/requests.json", payload)


def test_post_then_read_back_in_json_and_xml(setup, client):
    org, _type, api = setup
    response = _post(
        client,
        org,
        api.api_key,
        lat="41.8721",
        long="72.9412",
        description="Ikki kundan beri olib ketilmadi",
        **{"attribute[container]": "K-17", "attribute[how_long]": "week"},
    )
    assert response.status_code == 201
    number = response.json()[0]["service_request_id"]

    detail = client.get(f"{BASE}/requests/{number}.json", {"jurisdiction_id": org.code}).json()[0]
    assert detail["status"] == "open"
    assert detail["service_code"] == "missed-pickup"
    assert detail["lat"] == pytest.approx(41.8721)
    assert Report.objects.get(number=number).attributes == {"container": "K-17", "how_long": "week"}

    xml = client.get(f"{BASE}/requests.xml", {"jurisdiction_id": org.code})
    root = ET.fromstring(xml.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == number


def test_service_definitions_come_from_the_attributes(setup, client):
    org, _type, _api = setup
    services = client.get(f"{BASE}/services.json", {"jurisdiction_id": org.code}).json()
    assert services[0]["metadata"] is True
    definition = client.get(f"{BASE}/services/missed-pickup.json", {"jurisdiction_id": org.code}).json()
    assert [a["code"] for a in definition["attributes"]] == ["container", "how_long"]
    assert definition["attributes"][1]["values"][1] == {"key": "week", "name": "A week or more"}


def test_default_window_is_90_days_and_the_cap_applies(setup, client):
    org, report_type, _api = setup
    ReportFactory(
        organization=org,
        report_type=report_type,
        number="OLD",
        requested_at=timezone.now() - datetime.timedelta(days=120),
    )
    ReportFactory(organization=org, report_type=report_type, number="NEW")
    numbers = [
        r["service_request_id"]
        for r in client.get(f"{BASE}/requests.json", {"jurisdiction_id": org.code}).json()
    ]
    assert numbers == ["NEW"]
    by_id = client.get(
        f"{BASE}/requests.json", {"jurisdiction_id": org.code, "service_request_id": "OLD,NEW"}
    ).json()
    assert {r["service_request_id"] for r in by_id} == {"OLD", "NEW"}


def test_start_date_alone_lists_from_then_on(setup, client):
    org, report_type, _api = setup
    now = timezone.now()
    ReportFactory(
        organization=org,
        report_type=report_type,
        number="OLD",
        requested_at=now - datetime.timedelta(days=200),
    )
    ReportFactory(
        organization=org,
        report_type=report_type,
        number="MID",
        requested_at=now - datetime.timedelta(days=150),
    )
    ReportFactory(organization=org, report_type=report_type, number="NOW")
    since = (now - datetime.timedelta(days=160)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": org.code, "start_date": since})
    assert response.status_code == 200
    assert [r["service_request_id"] for r in response.json()] == ["MID"]  # 90 days from start_date
    future = (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S+05:00")
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": org.code, "start_date": future})
    assert response.status_code == 200
    assert response.json() == []


def test_tokens_lead_to_the_request(setup, client):
    org, report_type, _api = setup
    report = ReportFactory(organization=org, report_type=report_type)
    body = client.get(f"{BASE}/tokens/{report.token}.json", {"jurisdiction_id": org.code}).json()
    assert body == [{"service_request_id": report.number, "token": report.token}]


JURISDICTION = object()  # replaced by the test organization's code


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/requests.json", {}, 400),  # no jurisdiction
        ("/requests.json", {"jurisdiction_id": "nowhere"}, 404),
        ("/services.xml", {"jurisdiction_id": "nowhere"}, 404),
        ("/requests.json", {"jurisdiction_id": JURISDICTION, "start_date": "yesterday"}, 400),
        # impossible dates: month 13, hour 25, offset +25:00, year 1 before UTC, year 9999 + 90 days
        ("/requests.json", {"jurisdiction_id": JURISDICTION, "start_date": "2026-13-01T00:00:00Z"}, 400),
        ("/requests.json", {"jurisdiction_id": JURISDICTION, "end_date": "2026-01-01T25:00:00Z"}, 400),
        ("/requests.xml", {"jurisdiction_id": JURISDICTION, "start_date": "2026-01-01T00:00:00+25:00"}, 400),
        (
            "/requests.json",
            {
                "jurisdiction_id": JURISDICTION,
                "start_date": "0001-01-01T00:00:00+05:00",
                "end_date": "0001-01-02T00:00:00Z",
            },
            400,
        ),
        ("/requests.json", {"jurisdiction_id": JURISDICTION, "end_date": "0001-01-01T00:00:00Z"}, 400),
        ("/requests.json", {"jurisdiction_id": JURISDICTION, "start_date": "9999-12-01T00:00:00Z"}, 400),
        (
            "/requests.json",
            {
                "jurisdiction_id": JURISDICTION,
                "start_date": "2026-01-01T00:00:00Z",
                "end_date": "2026-06-01T00:00:00Z",
            },
            400,
        ),
        ("/requests.json", {"jurisdiction_id": JURISDICTION, "status": "pending"}, 400),
        ("/requests/NOPE.json", {"jurisdiction_id": JURISDICTION}, 404),
        ("/services/nope.json", {"jurisdiction_id": JURISDICTION}, 404),
        ("/tokens/nope.xml", {"jurisdiction_id": JURISDICTION}, 404),
        ("/requests.csv", {"jurisdiction_id": JURISDICTION}, 404),
    ],
)
def test_malformed_reads_get_the_standard_error_body(setup, client, path, params, status):
    org, _type, _api = setup
    params = {key: (org.code if value is JURISDICTION else value) for key, value in params.items()}
    response = client.get(f"{BASE}{path}", params)
    assert response.status_code == status
    if path.endswith(".xml"):
        assert ET.fromstring(response.content).find("error/code").text == str(status)
    else:
        assert response.json()[0]["code"] == status
        assert response.json()[0]["description"]


PLACE = {"lat": "41.8", "long": "72.9", "attribute[container]": "K1"}


@pytest.mark.parametrize(
    ("key", "data", "status"),
    [
        ("", PLACE, 403),
        ("wrong", PLACE, 403),
        (None, {**PLACE, "service_code": "nope"}, 404),
        (None, {**PLACE, "service_code": ""}, 400),
        (None, {**PLACE, "service_code": "nope", "jurisdiction_id": "nowhere"}, 404),
        (None, {**PLACE, "lat": "91"}, 400),
        (None, {**PLACE, "lat": "abc"}, 400),
        (None, {"lat": "41.8", "attribute[container]": "K1"}, 400),  # latitude without longitude
        (None, {"attribute[container]": "K1"}, 400),  # no location at all
        (None, {**PLACE, "attribute[container]": ""}, 400),  # required attribute missing
        (None, {**PLACE, "attribute[how_long]": "year"}, 400),  # not one of the values
    ],
)
def test_malformed_posts_get_4xx_and_write_nothing(setup, client, key, data, status):
    org, _type, api = setup
    response = _post(client, org, api.api_key if key is None else key, **data)
    assert response.status_code == status, response.content
    assert response.json()[0]["code"] == status
    assert not Report.objects.exists()


def test_discovery_document(client, db):
    body = client.get(f"{BASE}/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_georeport_client_library_reads_everything(live_server, org_b):
    """Conformance run with georeport (PyPI): services, definitions, lists and single requests, JSON and XML."""
    from georeport import GeoReport

    report_type = ReportTypeFactory(
        organization=org_b, code="missed-pickup", name="Missed pickup", attributes=ATTRIBUTES
    )
    report = ReportFactory(organization=org_b, report_type=report_type, description="Konteyner toʻlgan")
    for fmt in ("json", "xml"):
        client = GeoReport(f"{live_server.url}{BASE}", jurisdiction=org_b.code, output_format=fmt)
        services = client.get_service_list()
        services = services if isinstance(services, list) else [services]
        assert services[0]["service_code"] == "missed-pickup"
        definition = client.get_service_definition("missed-pickup")
        assert definition["service_code"] == "missed-pickup"
        requests = client.get_service_requests(status="open")
        requests = requests if isinstance(requests, list) else [requests]
        assert requests[0]["service_request_id"] == report.number
        one = client.get_service_request(report.number)
        assert one["service_request_id"] == report.number


def test_lists_are_cached_briefly(setup, client, settings):
    settings.OPEN311_LIST_CACHE_SECONDS = 15
    org, report_type, _api = setup
    ReportFactory(organization=org, report_type=report_type, number="FIRST")
    first = client.get(f"{BASE}/requests.json", {"jurisdiction_id": org.code}).json()
    ReportFactory(organization=org, report_type=report_type, number="SECOND")
    again = client.get(f"{BASE}/requests.json", {"jurisdiction_id": org.code}).json()
    assert again == first  # served from the cache for up to 15 s
    detail = client.get(f"{BASE}/requests/SECOND.json", {"jurisdiction_id": org.code})
    assert detail.status_code == 200  # single requests are never cached
