"""The home page shows the acts waiting: a disputed act to the enterprise's manager, a submitted one to the customer."""

from django.urls import reverse

from khizmat.contracts.choices import ActStatus
from khizmat.contracts.tests.factories import ActFactory


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("core:home")).content.decode()


def test_the_enterprise_manager_is_asked_to_answer_a_disputed_act(
    client, provider, contract, last_month, provider_manager, customer_manager
):
    act = ActFactory(organization=provider, contract=contract, month=last_month, status=ActStatus.DISPUTED)
    page = _home(client, provider_manager)
    assert "Waiting for you" in page
    assert reverse("contracts:act_detail", args=[act.pk]) in page
    assert f"Act № {act.number}" in page and "answer the disputed lines" in page
    # The customer has nothing to accept while the enterprise answers.
    assert reverse("contracts:act_detail", args=[act.pk]) not in _home(client, customer_manager)


def test_the_local_government_is_asked_to_accept_a_submitted_act(
    client, provider, contract, last_month, provider_manager, customer_manager
):
    act = ActFactory(organization=provider, contract=contract, month=last_month, status=ActStatus.SUBMITTED)
    assert "waits for your acceptance" in _home(client, customer_manager)
    assert reverse("contracts:act_detail", args=[act.pk]) not in _home(client, provider_manager)
