"""Every domain model keeps its history; managers and auditors read who changed what in the UI."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from khizmat.tenancy import services
from khizmat.tenancy.roles import Role
from khizmat.web.audit import WITHOUT_HISTORY, audit_entry_list


def test_every_domain_model_records_history():
    models = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("khizmat.") and not m.__name__.startswith("Historical")
    ]
    assert models
    missing = [
        m._meta.label for m in models if not hasattr(m, "history") and m._meta.label not in WITHOUT_HISTORY
    ]
    assert missing == []


def test_a_role_change_is_recorded_with_its_author(org_a, admin_a, member):
    clerk = member(org_a, Role.OPERATOR)
    membership = clerk.memberships.get()

    services.membership_update(actor=admin_a, membership=membership, role=Role.CASHIER, is_active=True)

    latest = membership.history.order_by("-history_date").first()
    assert latest.history_user == admin_a
    assert latest.role == Role.CASHIER
    with translation.override("en"):
        entries = audit_entry_list(organization=org_a)
    change = next(
        e for e in entries if e.record.history_type == "~" and e.model_label == "tenancy.Membership"
    )
    assert change.record.history_user == admin_a
    assert any(old == "Operator" and new == "Cashier" for _field, old, new in change.changes)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR, Role.ADMIN])
def test_managers_and_auditors_read_the_audit_trail(role, org_a, admin_a, member, client):
    clerk = member(org_a, Role.OPERATOR, last_name="Rahimov")
    services.membership_update(
        actor=admin_a, membership=clerk.memberships.get(), role=Role.CASHIER, is_active=True
    )
    client.force_login(member(org_a, role))

    page = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Rahimov" in page
    assert "Cashier" in page


def test_the_audit_trail_shows_no_other_organization(org_a, org_b, member, client):
    member(org_b, Role.OPERATOR, last_name="Toktosunov")
    member(org_a, Role.OPERATOR, last_name="Rahimov")  # the positive control: the page lists its own rows
    client.force_login(member(org_a, Role.AUDITOR))

    response = client.get(reverse("core:audit_log"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rahimov" in page
    assert "Toktosunov" not in page


def test_changes_made_through_a_page_name_the_logged_in_user(org_a, admin_a, member, client):
    clerk = member(org_a, Role.OPERATOR)
    membership = clerk.memberships.get()
    client.force_login(admin_a)

    response = client.post(
        reverse("tenancy:membership_edit", args=[membership.pk]), {"role": Role.DISPATCHER, "is_active": "on"}
    )

    assert response.status_code == 302
    assert membership.history.order_by("-history_date").first().history_user == admin_a
