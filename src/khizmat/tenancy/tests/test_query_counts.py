"""List pages read a constant number of queries, however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khizmat.tenancy.roles import Role


def _queries(client, url) -> int:
    # A session's first request does one-off work (its clock, the second-factor check kept for five minutes): a
    # request before the counted one, so that only what the page reads is compared.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_staff_list_queries_do_not_grow_with_staff(org_a, member, client):
    client.force_login(member(org_a, Role.MANAGER))
    url = reverse("tenancy:membership_list")
    few = _queries(client, url)
    for _ in range(20):
        member(org_a, Role.OPERATOR)
    assert _queries(client, url) == few


def test_audit_log_queries_do_not_grow_with_new_records(org_a, member, client):
    client.force_login(member(org_a, Role.AUDITOR))
    url = reverse("core:audit_log")
    few = _queries(client, url)
    for _ in range(10):
        member(org_a, Role.OPERATOR)
    # one query per audited model; only changed rows ("~") read their previous version
    assert _queries(client, url) == few
