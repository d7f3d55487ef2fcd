"""The pages from both sides: the enterprise records work and submits, the local government disputes and accepts;
bad input gets a clear message, never a 500; the PDF act renders in the chosen language."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image

from khizmat.contracts import services
from khizmat.contracts.choices import ActStatus, LineStatus
from khizmat.contracts.models import Contract, WorkRecord
from khizmat.contracts.tests.factories import ContractFactory
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_act(contract, sweeping, waste, last_month, provider_manager):
    services.work_record_add(
        actor=provider_manager,
        work_item=sweeping,
        date=last_month,
        quantity=Decimal("120"),
        note="Manas avenue",
    )
    act = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    return services.act_submit(actor=provider_manager, act=act)


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 140, 60)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "work.png"
    return buffer


def test_the_list_marks_each_side(
    client_of, contract, customer, provider, member, provider_manager, customer_manager
):
    other = ContractFactory(number="FOREIGN-1")  # another enterprise's order for another aiyl okmotu
    page = client_of(provider_manager).get(reverse("contracts:contract_list"))
    text = page.content.decode()
    assert page.status_code == 200 and "MZ-2026-01" in text and f"ordered by {customer}" in text
    assert other.number not in text

    page = client_of(customer_manager).get(reverse("contracts:contract_list"))
    text = page.content.decode()
    assert "MZ-2026-01" in text and f"carried out by {provider}" in text
    assert other.number not in text

    # A dispatcher of the aiyl okmotu (no contracts.oversee) sees none of them.
    dispatcher = member(customer, Role.DISPATCHER, language="en")
    assert "MZ-2026-01" not in client_of(dispatcher).get(reverse("contracts:contract_list")).content.decode()


def test_provider_records_work_with_a_photo_and_builds_the_act(
    client_of, contract, sweeping, last_month, provider_manager
):
    client = client_of(provider_manager)
    url = reverse("contracts:workrecord_add", args=[contract.pk])
    response = client.post(
        url,
        {
            "work_item": sweeping.pk,
            "date": last_month.isoformat(),
            "quantity": "12.5",
            "note": "Lenin st.",
            "photo": png(),
        },
    )
    assert response.status_code == 302
    record = WorkRecord.objects.get(work_item=sweeping)
    assert record.quantity == Decimal("12.5") and record.photo
    photo = client.get(reverse("contracts:workrecord_photo", args=[record.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"

    response = client.post(
        reverse("contracts:act_build", args=[contract.pk]), {"month": last_month.strftime("%Y-%m")}
    )
    act = contract.acts.get()
    assert response.url == reverse("contracts:act_detail", args=[act.pk])
    page = client.get(response.url).content.decode()
    assert "Submit to the local government" in page and "Lenin st." in page
    assert reverse("contracts:workrecord_photo", args=[record.pk]) in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "", "quantity": "5"}, "Date: This field is required."),
        ({"date": "2020-01-01", "quantity": "5"}, "This date is outside the contract"),
        ({"date": "today", "quantity": "abc"}, "Quantity: Enter a number."),
        (
            {"date": "today", "quantity": "-3"},
            "Quantity: Ensure this value is greater than or equal to 0.001.",
        ),
        ({"date": "today", "quantity": "2", "photo": "not a photo"}, "Photo: Upload a valid image."),
    ],
)
def test_bad_records_get_a_clear_message(client_of, contract, sweeping, provider_manager, data, message):
    data = {**data, "work_item": sweeping.pk}
    if data["date"] == "today":
        data["date"] = datetime.date.today().isoformat()
    if data.get("photo") == "not a photo":
        data["photo"] = io.BytesIO(b"plain text")
        data["photo"].name = "x.jpg"
    response = client_of(provider_manager).post(
        reverse("contracts:workrecord_add", args=[contract.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkRecord.objects.exists()


def test_bad_months_and_forms_get_a_clear_message(
    client_of, contract, sweeping, provider_manager, customer_manager, submitted_act
):
    client = client_of(provider_manager)
    response = client.post(
        reverse("contracts:act_build", args=[contract.pk]), {"month": "13/2026"}, follow=True
    )
    assert "Enter a month, e.g. 2026-03." in response.content.decode()
    response = client.post(
        reverse("contracts:act_build", args=[contract.pk]), {"month": "2001-01"}, follow=True
    )
    assert "This month is outside the contract" in response.content.decode()
    line = submitted_act.lines.get(work_item__code="2")
    response = client_of(customer_manager).post(
        reverse("contracts:actline_dispute", args=[line.pk]), {"comment": ""}, follow=True
    )
    assert "What is wrong with this line: This field is required." in response.content.decode()
    response = client_of(provider_manager).post(
        reverse("contracts:actline_answer", args=[line.pk]),
        {"answer": "x", "corrected_quantity": "-1"},
        follow=True,
    )
    assert "Corrected quantity: Ensure this value is greater than or equal to 0." in response.content.decode()
    # The contract form: dates backwards and a customer that does not oversee the enterprise.
    response = client.post(
        reverse("contracts:contract_add"),
        {"customer": "", "number": "", "title": "", "starts_on": "2026-05-01", "ends_on": "2026-01-01"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The contract cannot end before it starts." in text and "This field is required." in text


def test_customer_disputes_provider_answers_customer_accepts(
    client_of, submitted_act, provider_manager, customer_manager, client
):
    act = submitted_act
    line = act.lines.get(work_item__code="2")
    url = reverse("contracts:act_detail", args=[act.pk])

    client.force_login(customer_manager)
    page = client.get(url).content.decode()
    assert (
        "Dispute this line" in page
        and "Accept the act" in page
        and "Submit to the local government" not in page
    )
    client.post(
        reverse("contracts:actline_dispute", args=[line.pk]), {"comment": "Manas avenue was not swept"}
    )
    line.refresh_from_db()
    assert line.status == LineStatus.DISPUTED
    page = client.get(url).content.decode()
    assert "Accept the act" not in page and "once the enterprise answers" in page
    response = client.post(reverse("contracts:act_accept", args=[act.pk]), follow=True)
    assert "A disputed line has no answer yet" in response.content.decode()
    # The customer cannot answer for the enterprise.
    response = client.post(
        reverse("contracts:actline_answer", args=[line.pk]), {"answer": "fine"}, follow=True
    )
    assert "Your role does not allow this action." in response.content.decode()

    client.force_login(provider_manager)
    page = client.get(url).content.decode()
    assert "Manas avenue was not swept" in page and "Send the answer" in page
    client.post(
        reverse("contracts:actline_answer", args=[line.pk]),
        {"answer": "Agreed, 20 km less", "corrected_quantity": "100"},
    )
    line.refresh_from_db()
    assert line.actual_quantity == Decimal("100") and line.status == LineStatus.ANSWERED
    # The enterprise cannot accept its own act.
    response = client.post(reverse("contracts:act_accept", args=[act.pk]), follow=True)
    assert "Your role does not allow this action." in response.content.decode()
    act.refresh_from_db()
    assert act.status == ActStatus.ANSWERED

    client.force_login(customer_manager)
    client.post(reverse("contracts:act_accept", args=[act.pk]))
    act.refresh_from_db()
    assert act.status == ActStatus.ACCEPTED


def test_contract_detail_shows_fulfilment_to_both_sides(
    client_of, submitted_act, contract, provider_manager, customer_manager
):
    for user in (provider_manager, customer_manager):
        page = client_of(user).get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
        assert "Street sweeping" in page and "120" in page and submitted_act.number in page
    assert (
        "Record work"
        in client_of(provider_manager)
        .get(reverse("contracts:contract_detail", args=[contract.pk]))
        .content.decode()
    )


def test_the_customer_sees_nothing_without_the_oversight(client_of, contract, customer, customer_manager):
    from khizmat.tenancy.models import Oversight

    Oversight.objects.filter(overseer=customer).delete()
    client = client_of(customer_manager)
    assert "MZ-2026-01" not in client.get(reverse("contracts:contract_list")).content.decode()
    assert client.get(reverse("contracts:contract_detail", args=[contract.pk])).status_code == 404


def test_registering_a_contract_through_the_page(client_of, customer, provider, provider_manager):
    client = client_of(provider_manager)
    form = client.get(reverse("contracts:contract_add")).content.decode()
    assert customer.name in form
    response = client.post(
        reverse("contracts:contract_add"),
        {
            "customer": customer.pk,
            "number": "MZ-7",
            "title": "Greening",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    contract = Contract.objects.get(organization=provider, number="MZ-7")
    assert response.url == reverse("contracts:contract_detail", args=[contract.pk])
    client.post(
        reverse("contracts:workitem_add", args=[contract.pk]),
        {
            "code": "1",
            "name": "Trees",
            "unit": "pcs",
            "unit_price": "650",
            "planned_quantity": "300",
            "source": "manual",
        },
    )
    client.post(reverse("contracts:contract_activate", args=[contract.pk]))
    contract.refresh_from_db()
    assert contract.status == "active" and contract.items.count() == 1


@pytest.mark.parametrize(
    "language, title", [("en", "Act of completed work"), ("ru", None), ("ky", None), ("uz-cyrl", None)]
)
def test_the_act_prints_as_a_pdf_in_the_chosen_language(
    client_of, submitted_act, customer_manager, language, title
):
    response = client_of(customer_manager).get(
        reverse("contracts:act_pdf", args=[submitted_act.pk]) + f"?lang={language}"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000


def test_the_act_document_is_complete_in_each_language(submitted_act):
    """The HTML the PDF is made from: translated, amounts and names filled in, no template syntax left over."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from khizmat.contracts import selectors

    for language in ("en", "ru", "ky", "uz", "uz-cyrl"):
        with translation.override(language):
            html = render_to_string(
                "contracts/act_pdf.html",
                {
                    "act": submitted_act,
                    "contract": submitted_act.contract,
                    "summary": selectors.act_summary(act=submitted_act),
                    "currency": "KGS",
                    "LANGUAGE_CODE": language,
                },
            )
        assert "{{" not in html and "{%" not in html, language
        assert "Street sweeping" in html and submitted_act.number in html and "KGS" in html
        assert f'lang="{language}"' in html
        if language == "en":
            assert "Act of completed work" in html and "114,000.00" in html


def test_the_api_lists_contracts_to_both_sides(
    contract, submitted_act, customer_manager, provider_manager, member, org_a
):
    from rest_framework.test import APIClient

    for user in (provider_manager, customer_manager):
        api = APIClient()
        api.force_login(user)
        assert [row["number"] for row in api.get("/api/v1/contracts/").json()["results"]] == ["MZ-2026-01"]
        lines = api.get(f"/api/v1/contract-act-lines/?act={submitted_act.pk}").json()["results"]
        assert {row["work_item"] for row in lines} == set(
            submitted_act.lines.values_list("work_item", flat=True)
        )
    api = APIClient()
    api.force_login(member(org_a, Role.ADMIN))
    assert api.get("/api/v1/contracts/").json()["results"] == []
    assert api.get(f"/api/v1/contract-acts/{submitted_act.pk}/").status_code == 404


def test_the_customer_reads_an_act_only_from_its_submission_on(
    client_of, contract, sweeping, waste, last_month, provider_manager, customer_manager
):
    from rest_framework.test import APIClient

    services.work_record_add(
        actor=provider_manager, work_item=sweeping, date=last_month, quantity=Decimal("5")
    )
    draft = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    urls = [reverse(name, args=[draft.pk]) for name in ("contracts:act_detail", "contracts:act_pdf")]
    api = APIClient()

    def customer_sees() -> list[bool]:
        page = client_of(customer_manager).get(reverse("contracts:contract_detail", args=[contract.pk]))
        api.force_login(customer_manager)
        acts = [row["id"] for row in api.get("/api/v1/contract-acts/").json()["results"]]
        lines = api.get(f"/api/v1/contract-act-lines/?act={draft.pk}").json()["results"]
        return [
            draft.number in page.content.decode(),
            *(client_of(customer_manager).get(url).status_code == 200 for url in urls),
            draft.pk in acts,
            bool(lines),
            api.get(f"/api/v1/contract-acts/{draft.pk}/").status_code == 200,
        ]

    # The enterprise works on its draft; the customer sees nothing of it.
    assert client_of(provider_manager).get(urls[0]).status_code == 200
    assert customer_sees() == [False] * 6

    services.act_submit(actor=provider_manager, act=draft)

    assert customer_sees() == [True] * 6
