"""Menus and home pages follow the kind of organization, and anonymous visitors land on the citizens' pages."""

from django.urls import reverse

from khizmat.core.navigation import entries_for
from khizmat.tenancy.roles import Role

ENTERPRISE_ONLY = {
    "billing:period_list",
    "billing:subscriber_list",
    "fieldwork:day_routes",
    "fieldwork:fleet",
}
CENTER_ONLY = {"services:application_list", "queue:overview", "queue:counter_choose"}


def test_a_service_centers_manager_sees_no_billing_routes_or_vehicles(org_a, member, client):
    user = member(org_a, Role.MANAGER, language="en")
    names = {entry.url_name for entry in entries_for(user.memberships.get())}
    assert CENTER_ONLY & names and not ENTERPRISE_ONLY & names
    client.force_login(user)
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("billing:period_list") not in page and reverse("fieldwork:fleet") not in page


def test_an_enterprises_manager_sees_no_queue_or_applications(org_b, member):
    names = {entry.url_name for entry in entries_for(member(org_b, Role.MANAGER).memberships.get())}
    assert names >= ENTERPRISE_ONLY and not CENTER_ONLY & names


def test_anonymous_visitors_land_on_the_citizens_pages(client):
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    content = page.content.decode()
    for url in (reverse("services:track"), reverse("reports:portal_index"), reverse("login")):
        assert f'href="{url}' in content
