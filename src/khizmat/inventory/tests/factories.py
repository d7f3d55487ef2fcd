import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.inventory.choices import EquipmentCurrency, EquipmentStatus, EquipmentType, ImportStatus
from khizmat.inventory.models import Equipment, EquipmentImport, EquipmentStatusChange, HandoverAct
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.tests.factories import OrganizationFactory, UserFactory
from khizmat.testing.registry import register

_ORG = factory.SelfAttribute("..organization")


class FunderProjectFactory(OrganizationFactory):
    kind = OrganizationKind.FUNDER_PROJECT
    code = factory.Sequence(lambda n: f"funder-{n}")
    name = factory.Sequence(lambda n: f"Funder project {n}")


@register
class HandoverActFactory(DjangoModelFactory):
    class Meta:
        model = HandoverAct

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"HA-{n}")
    date = datetime.date(2025, 3, 14)
    handed_over_by_name = "Project coordinator"
    handed_over_by_position = "EU–UNDP project"
    received_by_name = "Center director"
    received_by_position = "Director"


@register
class EquipmentFactory(DjangoModelFactory):
    class Meta:
        model = Equipment

    organization = factory.SubFactory(OrganizationFactory)
    inventory_number = factory.Sequence(lambda n: f"{n + 1:06d}")
    type = EquipmentType.PC
    model = "HP ProDesk 400 G7"
    serial_number = factory.Sequence(lambda n: f"CZC{n:07d}")
    cost = Decimal("850.00")
    currency = EquipmentCurrency.USD
    delivery_date = datetime.date(2025, 3, 14)
    place = "Room 2"
    status = EquipmentStatus.IN_USE


@register
class EquipmentStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = EquipmentStatusChange

    organization = factory.SubFactory(OrganizationFactory)
    equipment = factory.SubFactory(EquipmentFactory, organization=_ORG, status=EquipmentStatus.BROKEN)
    from_status = EquipmentStatus.IN_USE
    to_status = EquipmentStatus.BROKEN
    reason = "Does not start"
    changed_at = factory.LazyFunction(timezone.now)


@register
class EquipmentImportFactory(DjangoModelFactory):
    class Meta:
        model = EquipmentImport

    organization = factory.SubFactory(OrganizationFactory)
    file_name = "supplier.xlsx"
    content = b""
    status = ImportStatus.CHECKED
    headers = ["type", "model"]
    row_count = 1
    uploaded_by = factory.SubFactory(UserFactory)
    uploaded_at = factory.LazyFunction(timezone.now)
