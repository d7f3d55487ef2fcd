"""Handover acts: the items are the receiving organization's equipment on no other act; the PDF is made in the
background and printed in the receiving organization's language (by its country), with numbers and money shown
in that language's format."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from khizmat.core.errors import DomainError
from khizmat.documents.models import GeneratedDocument
from khizmat.inventory import documents, selectors, services
from khizmat.inventory.tests.factories import EquipmentFactory, HandoverActFactory
from khizmat.tenancy.roles import Role


def _act(actor, organization, items, **fields):
    values = {
        "date": "2025-11-24",
        "handed_over_by_name": "Rahimov Dilshod",
        "handed_over_by_position": "Project manager",
        "received_by_name": "Karimova Nodira",
        "items": items,
        **fields,
    }
    return services.handover_act_create(actor=actor, organization=organization, **values)


def test_an_act_lists_its_items_and_totals_per_currency(manager_a, org_a, funder):
    items = [
        EquipmentFactory(organization=org_a, cost=Decimal("6900.00"), currency="USD"),
        EquipmentFactory(organization=org_a, cost=Decimal("1080.50"), currency="USD"),
        EquipmentFactory(organization=org_a, cost=Decimal("150000.00"), currency="UZS"),
    ]
    act = _act(manager_a, org_a, items, funder_project=funder)
    assert act.number == "1" and act.funder_project == funder
    assert list(selectors.handover_act_items(act=act).order_by("pk")) == items
    assert selectors.handover_act_totals(act=act) == [
        ("USD", Decimal("7980.50")),
        ("UZS", Decimal("150000.00")),
    ]
    with pytest.raises(DomainError) as twice:
        _act(manager_a, org_a, items[:1])
    assert twice.value.code == "items_on_act"


def test_an_act_takes_only_the_receivers_equipment(manager_a, org_a, org_b):
    foreign = EquipmentFactory(organization=org_b)
    with pytest.raises(DomainError) as refused:
        _act(manager_a, org_a, [foreign])
    assert refused.value.code == "bad_items"
    with pytest.raises(DomainError) as empty:
        _act(manager_a, org_a, [])
    assert empty.value.code == "no_items"


@pytest.mark.parametrize(("country", "language"), [("UZ", "uz"), ("KG", "ky")])
def test_the_pdf_is_in_the_receiving_organizations_language(org_a, org_b, monkeypatch, country, language):
    organization = org_a if country == "UZ" else org_b
    rendered = {}

    def fake_render(template, context):
        rendered["language"] = translation.get_language()
        rendered["html"] = render_to_string(template, context)
        return b"%PDF"

    monkeypatch.setattr(documents, "render_pdf", fake_render)
    act = HandoverActFactory(organization=organization)
    EquipmentFactory(organization=organization, handover_act=act, cost=Decimal("178000.00"), currency="USD")
    assert documents.handover_act_pdf(act) == b"%PDF"
    assert rendered["language"] == language
    assert selectors.organization_language(organization) == language
    assert 'lang="' + language + '"' in rendered["html"]
    with translation.override(language):  # grouped digits and the decimal mark of that language
        amount = number_format(Decimal("178000.00"), decimal_pos=2, force_grouping=True)
    assert "\xa0" in amount and f"{amount} USD" in rendered["html"]


def test_the_pdf_is_a_document_made_in_the_background(
    manager_a, org_a, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(documents, "render_pdf", lambda template, context: b"%PDF-act")
    act = HandoverActFactory(organization=org_a)
    EquipmentFactory(organization=org_a, handover_act=act)
    client.force_login(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inventory:handoveract_pdf", args=[act.pk]))
    document = GeneratedDocument.objects.get(organization=org_a, kind=documents.HANDOVER_ACT)
    assert response.url == reverse("documents:detail", args=[document.pk])
    document.refresh_from_db()
    assert document.params == {"act": act.pk} and document.file.read() == b"%PDF-act"


def test_the_page_draws_up_an_act_of_unlisted_equipment(manager_a, org_a, client):
    free = EquipmentFactory(organization=org_a)
    on_act = EquipmentFactory(organization=org_a, handover_act=HandoverActFactory(organization=org_a))
    client.force_login(manager_a)
    page = client.get(reverse("inventory:handoveract_add"))
    offered = list(page.context["form"].fields["items"].queryset)
    assert free in offered and on_act not in offered
    response = client.post(
        reverse("inventory:handoveract_add"),
        {
            "date": datetime.date(2025, 11, 24).isoformat(),
            "handed_over_by_name": "Rahimov Dilshod",
            "received_by_name": "Karimova Nodira",
            "items": [free.pk],
        },
    )
    assert response.status_code == 302
    free.refresh_from_db()
    assert free.handover_act is not None


def test_the_api_creates_an_act(org_a, member, client):
    item = EquipmentFactory(organization=org_a)
    client.force_login(member(org_a, Role.ADMIN))
    answer = client.post(
        "/api/v1/handover-acts/",
        {"date": "2025-11-24", "handed_over_by_name": "A", "received_by_name": "B", "items": [item.pk]},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["items"] == [item.pk]
