"""``khizmat demo`` gives Toktogul a municipal order from the town government with three months of acts in every state
of the workflow, acts equal to their records, visible to the town's manager; a second run adds nothing."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from khizmat.contracts.choices import ActStatus, ContractStatus, LineStatus
from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord
from khizmat.tenancy.models import User
from khizmat.tenancy.scoping import scopes_disabled

pytestmark = pytest.mark.django_db


def test_the_demo_order_of_toktogul(demo_data, client):
    assert demo_data.added_by_second_run(Contract, WorkItem, WorkRecord, Act, ActLine) == {}
    with scopes_disabled():
        contract = Contract.objects.select_related("organization", "customer").get()
        assert (contract.organization.code, contract.customer.code) == ("ynguuluu-shart", "toktogul-mayor")
        assert contract.status == ContractStatus.ACTIVE and 4 <= contract.items.count() <= 5
        acts = list(Act.objects.filter(contract=contract).order_by("month"))
        assert [a.status for a in acts] == [
            ActStatus.ACCEPTED,
            ActStatus.ANSWERED,
            ActStatus.DISPUTED,
            ActStatus.DRAFT,
        ]
        assert ActLine.objects.filter(act=acts[1], status=LineStatus.ANSWERED).exclude(answer="").count() == 1
        assert (
            ActLine.objects.filter(act=acts[2], status=LineStatus.DISPUTED)
            .exclude(dispute_comment="")
            .count()
            == 1
        )
        assert WorkRecord.objects.filter(work_item__contract=contract, is_correction=True).count() == 1
        assert WorkRecord.objects.exclude(photo="").exists()
        for line in ActLine.objects.filter(act__contract=contract).select_related("act"):
            total = WorkRecord.objects.filter(
                work_item_id=line.work_item_id,
                date__year=line.act.month.year,
                date__month=line.act.month.month,
            ).aggregate(total=Sum("quantity"))["total"]
            assert line.actual_quantity == (total or 0)
    with scopes_disabled():
        mayor = User.objects.get(username="toktogul-mayor.manager")
    client.force_login(mayor)
    page = client.get(reverse("contracts:act_detail", args=[acts[2].pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
