"""Demo equipment: the ICT equipment the EU/UNDP project bought for the five pilot Public Service Centers — 200 units
worth 178,000 USD (servers, computers, network and video equipment, user-feedback devices, queue terminals), 40 per
centre, delivered with one handover act each; a few units broken or in repair since, with the reason. The Toktogul
enterprise's trucks are equipment too: the field-work demo registers them (funder project SDC/Helvetas).

Everything goes through the services, as the centre's manager; a centre that has the project's equipment already is
left as it is (safe to re-run).
"""

import datetime
import random
from decimal import Decimal

from khizmat.core.demo import DemoLogin, register
from khizmat.inventory import services
from khizmat.inventory.choices import EquipmentStatus, EquipmentType
from khizmat.inventory.models import Equipment
from khizmat.tenancy.demo import CENTER_CODES
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

FUNDER = "eu-undp"
# One centre's kit: type, make and model, unit price (USD), how many, serial prefix, place.
KIT = [
    (EquipmentType.SERVER, "Dell PowerEdge R550, 2× Xeon Silver 4310, 64 GB, 4× 2 TB", "6900.00", 1, "DL", "Server xonasi"),
    (EquipmentType.PC, "HP ProOne 440 G9 All-in-One, Core i5, 16 GB, 512 GB SSD", "1080.00", 12, "8CG", "Front-ofis, {n}-oyna"),
    (EquipmentType.LAPTOP, "Lenovo ThinkPad E14 Gen 4, Core i5, 16 GB", "1050.00", 2, "PF", "Direktor xonasi"),
    (EquipmentType.PRINTER, "HP LaserJet Pro MFP M428fdn", "620.00", 3, "PHB", "Bek-ofis"),
    (EquipmentType.NETWORK, "Cisco Catalyst C1000-24T-4G-L switch", "1450.00", 1, "FOC", "Server xonasi"),
    (EquipmentType.NETWORK, "MikroTik RB4011iGS+RM router", "320.00", 1, "HE0", "Server xonasi"),
    (EquipmentType.NETWORK, "APC Smart-UPS SMT3000RMI2U", "2240.00", 1, "AS2", "Server xonasi"),
    (EquipmentType.NETWORK, "Ubiquiti UniFi U6 Lite access point", "190.00", 2, "U6L", "Kutish zali"),
    (EquipmentType.VIDEO, "Hikvision DS-7616NI-K2 NVR, 2× 4 TB", "650.00", 1, "K7616", "Server xonasi"),
    (EquipmentType.VIDEO, "Hikvision DS-2CD2143G2-I camera", "165.00", 6, "G2143", "Kutish zali"),
    (EquipmentType.FEEDBACK, "Samsung Galaxy Tab A8 rating terminal in a counter stand", "380.00", 4, "R9W", "Front-ofis, {n}-oyna"),
    (EquipmentType.QUEUE, "Queue kiosk with ticket printer, 21.5\" touch screen", "2950.00", 1, "QK", "Kirish"),
    (EquipmentType.QUEUE, "Samsung QM55R 55\" board display", "720.00", 1, "0F3", "Kutish zali"),
    (EquipmentType.QUEUE, "LED counter display", "140.00", 4, "LD", "Front-ofis, {n}-oyna"),
]  # fmt: skip
DELIVERED = {
    "bakhmal": datetime.date(2025, 11, 24),
    "dehkanabad": datetime.date(2025, 11, 25),
    "sariosiyo": datetime.date(2025, 11, 26),
    "xovos": datetime.date(2025, 11, 27),
    "nurafshon": datetime.date(2025, 11, 28),
}
# What broke since: (centre's position in CENTER_CODES, type, which unit of that type, status, reason).
TROUBLES = [
    (0, EquipmentType.FEEDBACK, 2, EquipmentStatus.BROKEN, "Ekrani singan: mijoz baholash paytida tushirib yuborgan."),
    (1, EquipmentType.PC, 7, EquipmentStatus.IN_REPAIR, "Qattiq disk ishdan chiqdi, kafolat bo'yicha servisga topshirildi."),
    (2, EquipmentType.PRINTER, 1, EquipmentStatus.IN_REPAIR, "Qog'oz tiqilib qoladi, fuser almashtiriladi."),
    (3, EquipmentType.VIDEO, 4, EquipmentStatus.BROKEN, "Kamera yoqilmaydi: kuchlanish sakrashidan keyin."),
    (4, EquipmentType.QUEUE, 0, EquipmentStatus.IN_REPAIR, "Chipta printeri chop etmaydi, ehtiyot qism kutilmoqda."),
]  # fmt: skip
HANDED_OVER_BY = ("Rahimov Dilshod", "EU/UNDP loyihasi menejeri")


def _serial(rng: random.Random, prefix: str) -> str:
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return prefix + "".join(rng.choice(alphabet) for _ in range(10 - len(prefix)))


@register
def build_inventory(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    with scopes_disabled():
        funder = Organization.objects.filter(code=FUNDER).first()
        centers = {
            o.code: o for o in Organization.objects.select_related("country").filter(code__in=CENTER_CODES)
        }
        if funder is None or not centers:
            return []
        created = 0
        for position, code in enumerate(CENTER_CODES):
            center = centers.get(code)
            if (
                center is None
                or Equipment.objects.filter(organization=center, funder_project=funder).exists()
            ):
                continue
            created += _equip(center, funder, position)
    if created:
        stdout.write(f"Inventory: {created} units of the EU/UNDP project in {len(centers)} pilot centres.")
    return []


def _equip(center: Organization, funder: Organization, position: int) -> int:
    manager = User.objects.filter(username=f"{center.code}.{Role.MANAGER}").first()
    if manager is None:
        raise RuntimeError("The demo managers of the centres are missing: run the foundation first.")
    rng = random.Random(f"inventory-{center.code}")
    delivered = DELIVERED.get(center.code, datetime.date(2025, 11, 24))
    items: dict[str, list[Equipment]] = {}
    for kind, model, price, count, prefix, place in KIT:
        for number in range(1, count + 1):
            items.setdefault(kind, []).append(
                services.equipment_create(
                    actor=manager,
                    organization=center,
                    type=kind,
                    model=model,
                    serial_number=_serial(rng, prefix),
                    cost=Decimal(price),
                    currency="USD",
                    funder_project=funder,
                    delivery_date=delivered,
                    place=place.format(n=number),
                )
            )
    received_by = f"{manager.last_name} {manager.first_name}".strip() or manager.username
    services.handover_act_create(
        actor=manager,
        organization=center,
        date=delivered,
        funder_project=funder,
        handed_over_by_name=HANDED_OVER_BY[0],
        handed_over_by_position=HANDED_OVER_BY[1],
        received_by_name=received_by,
        received_by_position="Davlat xizmatlari markazi direktori",
        items=[unit for units in items.values() for unit in units],
        notes="Loyiha doirasida xarid qilingan AKT uskunalari.",
    )
    for where, kind, index, status, reason in TROUBLES:
        if where == position and index < len(items.get(kind, [])):
            services.equipment_status_change(
                actor=manager, equipment=items[kind][index], status=status, reason=reason
            )
    return sum(len(units) for units in items.values())
