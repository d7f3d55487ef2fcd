"""The demo's equipment: 200 units worth 178,000 USD of the EU/UNDP project in the five pilot centres, one handover
act each, a few broken or in repair with the reason; a second run adds nothing."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django_scopes import scopes_disabled

from khizmat.inventory.models import Equipment, EquipmentStatusChange, HandoverAct
from khizmat.tenancy.demo import CENTER_CODES

pytestmark = pytest.mark.django_db


def test_the_pilot_centres_get_the_projects_equipment_once(demo_data):
    assert demo_data.added_by_second_run(Equipment, EquipmentStatusChange, HandoverAct) == {}
    with scopes_disabled():
        units = Equipment.objects.filter(organization__code__in=CENTER_CODES, funder_project__code="eu-undp")
        assert units.count() == 200
        assert units.filter(currency="USD").aggregate(total=Sum("cost"))["total"] == Decimal("178000.00")
        assert set(units.values_list("type", flat=True)) >= {"server", "pc", "network", "video", "feedback"}
        assert HandoverAct.objects.filter(organization__code__in=CENTER_CODES).count() == 5
        assert units.filter(handover_act=None).count() == 0
        assert units.exclude(status="in_use").count() == EquipmentStatusChange.objects.count() == 5
        assert HandoverAct.objects.count() == 5
