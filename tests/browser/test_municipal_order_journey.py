"""A municipal order in headless Chromium: the aiyl okmotu's manager disputes a line of the enterprise's monthly act
with a comment, the enterprise's manager answers with a corrected quantity, and the aiyl okmotu accepts the act."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from khizmat.contracts import services
from khizmat.contracts.choices import ActStatus, WorkUnit
from khizmat.contracts.models import Act
from khizmat.contracts.tests.factories import ContractFactory, WorkItemFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.models import Oversight
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory
from tests.browser.journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_town_disputes_a_line_the_enterprise_answers_the_town_accepts(
    live_server, browser, org_b, member
):
    base = live_server.url
    town = OrganizationFactory(
        code="toktogul-town",
        name="Toktogul town",
        kind=OrganizationKind.TOWN_GOVERNMENT,
        country=org_b.country,
    )
    Oversight.objects.create(overseer=town, overseen=org_b, kind=OversightKind.OWNER)
    enterprise = member(org_b, Role.MANAGER, username="ulan.manager", language="en")
    member(town, Role.MANAGER, username="nurlan.mayor", language="en")
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    contract = ContractFactory(
        organization=org_b,
        customer=town,
        number="MZ-1",
        starts_on=last_month,
        ends_on=this_month.replace(day=28),
    )
    sweeping = WorkItemFactory(
        organization=org_b, contract=contract, code="2", name="Street sweeping", unit=WorkUnit.KILOMETRE,
        unit_price=Decimal("950.00"), planned_quantity=Decimal("300"),
    )  # fmt: skip
    for day, km in ((1, "60"), (8, "62.5"), (15, "41")):
        services.work_record_add(
            actor=enterprise, work_item=sweeping, date=last_month.replace(day=day), quantity=Decimal(km)
        )
    act = services.act_submit(
        actor=enterprise, act=services.act_build(actor=enterprise, contract=contract, month=last_month)
    )
    line = act.lines.get()

    town_page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(town_page, base, "nurlan.mayor")
    town_page.goto(f"{base}/contracts/")
    expect(town_page.locator("#contracts")).to_contain_text("carried out by Enterprise B")
    town_page.get_by_role("link", name="MZ-1").click()
    town_page.get_by_role("link", name=act.number).click()
    expect(town_page.locator(f"#line-{line.pk} .line-actual")).to_contain_text("163.5")
    town_page.fill(f"#comment-{line.pk}", "Zhenish street was not swept on the 15th")
    town_page.get_by_role("button", name="Dispute this line").click()
    expect(town_page.locator("#act-status")).to_have_text("Disputed")
    expect(town_page.locator("#act-accept")).to_have_count(0)

    enterprise_page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(enterprise_page, base, "ulan.manager")
    enterprise_page.goto(f"{base}/contracts/acts/{act.pk}/")
    expect(enterprise_page.locator(f"#line-{line.pk} .dispute")).to_contain_text("Zhenish street")
    enterprise_page.fill(f"#answer-{line.pk}", "Agreed: the truck was in repair, 41 km removed")
    enterprise_page.fill(f"#corrected-{line.pk}", "122.5")
    enterprise_page.get_by_role("button", name="Send the answer").click()
    expect(enterprise_page.locator("#act-status")).to_have_text("Answered")
    expect(enterprise_page.locator(f"#line-{line.pk} .line-actual")).to_contain_text("122.5")

    town_page.reload()
    expect(town_page.locator(f"#line-{line.pk} .answer")).to_contain_text("41 km removed")
    town_page.locator("#act-accept").click()
    expect(town_page.locator("#act-status")).to_have_text("Accepted")
    act.refresh_from_db()
    assert act.status == ActStatus.ACCEPTED
    assert Act.objects.get(pk=act.pk).lines.get().actual_quantity == Decimal("122.5")
