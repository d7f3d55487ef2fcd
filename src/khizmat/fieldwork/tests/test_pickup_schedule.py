"""The public pickup schedule: a citizen finds when the truck comes to their street, by street or village name, in
any script; only that enterprise's schedule, and no page for an organization without one."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from khizmat.fieldwork.choices import Shift, Weekday
from khizmat.fieldwork.tests.factories import PickupDayFactory
from khizmat.tenancy.tests.factories import SettlementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(org_a, org_b):
    with scopes_disabled():
        town = SettlementFactory(name="Toktogul", name_ky="Токтогул")
        village = SettlementFactory(name="Chech-Dobo", name_ky="Чеч-Дөбө")
        PickupDayFactory(organization=org_a, settlement=town, street="Манас көчөсү", weekday=Weekday.MONDAY)
        PickupDayFactory(
            organization=org_a,
            settlement=town,
            street="Манас көчөсү",
            weekday=Weekday.THURSDAY,
            shift=Shift.AFTERNOON,
        )
        PickupDayFactory(organization=org_a, settlement=village, street="", weekday=Weekday.WEDNESDAY)
        PickupDayFactory(organization=org_b, settlement=town, street="Other enterprise street")
    return org_a


def page(client, organization, **params):
    with scopes_disabled():
        url = reverse("fieldwork:pickup_schedule", args=[organization.code])
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def test_every_street_shows_its_days_and_shifts(schedule, client):
    response = page(client, schedule)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Манас көчөсү" in text and "Monday (morning), Thursday (afternoon)" in text
    assert "whole settlement" in text and "Wednesday (morning)" in text
    assert "Other enterprise street" not in text


def test_a_citizen_finds_the_street_or_the_village_in_either_script(schedule, client):
    text = page(client, schedule, q="манас").content.decode()
    assert "Манас көчөсү" in text and "Chech-Dobo" not in text
    text = page(client, schedule, q="Чеч-Дөбө").content.decode()
    assert "Chech-Dobo" in text and "Манас көчөсү" not in text
    assert "No street or village matches" in page(client, schedule, q="Nowhere").content.decode()


def test_no_page_without_a_schedule_or_for_an_unknown_code(org_a, client):
    assert page(client, org_a).status_code == 404
    assert client.get(reverse("fieldwork:pickup_schedule", args=["no-such-org"])).status_code == 404


def test_the_portal_links_to_the_schedule_and_the_page_prints(schedule, client):
    from khizmat.reports.tests.factories import ReportTypeFactory

    with scopes_disabled():
        ReportTypeFactory(organization=schedule)
    portal = client.get(reverse("reports:portal_index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with scopes_disabled():
        link = reverse("fieldwork:pickup_schedule", args=[schedule.code])
    assert link in portal and "When is waste pickup on my street?" in portal
    assert "data-print" in page(client, schedule).content.decode()
