"""Demo municipal order of the Toktogul town government («toktogul-mayor») to its enterprise «Ыңгайлуу шарт»
(«ynguuluu-shart») for the current year: five work items, the work of the last three months and of this month so far,
and the monthly acts — the oldest accepted, the next disputed and answered with a correction (waiting for the town to
accept), last month's disputed and waiting for the enterprise's answer, this month's a draft.

Waste removal from public areas takes its quantities from the loads of the enterprise's trip log
(``work_records_from_trip_loads``): the public areas' share of each route's loads (the bazaar, the central square and
park are marked public in the field-work demo; households pay through billing), ≈ 135 m³ a month against a plan of
1,620 m³ a year. It fills in when the field-work demo has trips. Everything goes through the services, so the acts equal their
records and the audit trail names the demo managers. Runs after the field-work demo (INSTALLED_APPS order).
Idempotent: an enterprise that already has the order gets nothing more. Deterministic: one seeded generator.
"""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from khizmat.contracts import services
from khizmat.contracts.choices import WorkSource, WorkUnit
from khizmat.contracts.models import Act, Contract, WorkItem
from khizmat.contracts.selectors import next_month
from khizmat.core.demo import DemoLogin, register
from khizmat.tenancy.models import Organization, Oversight, User
from khizmat.tenancy.scoping import scopes_disabled

PROVIDER_CODE = "ynguuluu-shart"
CUSTOMER_CODE = "toktogul-mayor"
ITEMS = [
    # code, name, unit, unit price (KGS), planned for the year, source
    ("1", "Вывоз мусора с общественных территорий", WorkUnit.CUBIC_METRE, "380.00", "1620", WorkSource.TRIP_LOADS),
    ("2", "Подметание улиц и площадей", WorkUnit.KILOMETRE, "950.00", "1800", WorkSource.MANUAL),
    ("3", "Уход за зелёными насаждениями (скверы, газоны)", WorkUnit.SQUARE_METRE, "12.50", "120000", WorkSource.MANUAL),
    ("4", "Посадка деревьев", WorkUnit.PIECE, "650.00", "300", WorkSource.MANUAL),
    ("5", "Полив улиц в летний период", WorkUnit.TRIP, "1200.00", "120", WorkSource.MANUAL),
]  # fmt: skip
STREETS = ["ул. Ленина", "ул. Токтогула", "пр. Манаса", "ул. Жениш", "сквер Победы", "центральная площадь"]


def _add_months(month: datetime.date, count: int) -> datetime.date:
    years, index = divmod(month.month - 1 + count, 12)
    return month.replace(year=month.year + years, month=index + 1, day=1)


def _photo(rng) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (320, 200), (40 + rng.randrange(40), 110 + rng.randrange(60), 50))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@register
def build_contracts(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    """The municipal order with its items, three months of work and their acts; once."""
    with scopes_disabled():
        organizations = {
            o.code: o
            for o in Organization.objects.select_related("country").filter(
                code__in=[PROVIDER_CODE, CUSTOMER_CODE]
            )
        }
        if len(organizations) < 2:
            return []
        provider, customer = organizations[PROVIDER_CODE], organizations[CUSTOMER_CODE]
        if not Oversight.objects.filter(overseer=customer, overseen=provider).exists():
            return []
        today = timezone.localdate()
        number = f"МЗ-{today.year}-01"
        if Contract.objects.filter(organization=provider, number=number).exists():
            return []
        manager = User.objects.get(username=f"{PROVIDER_CODE}.manager")
        mayor = User.objects.get(username=f"{CUSTOMER_CODE}.manager")
        current = today.replace(day=1)
        first = _add_months(current, -3)
        contract = services.contract_create(
            actor=manager,
            organization=provider,
            customer=customer,
            number=number,
            title="Санитарная очистка и благоустройство г. Токтогул",
            starts_on=min(first, today.replace(month=1, day=1)),
            ends_on=today.replace(month=12, day=31),
            signed_on=min(first, today.replace(month=1, day=1)) - datetime.timedelta(days=10),
            notes="Муниципальный заказ по решению айылдык кенеша; оплата ежемесячно по актам выполненных работ.",
        )
        items = [
            services.work_item_add(
                actor=manager,
                contract=contract,
                code=code,
                name=name,
                unit=unit,
                unit_price=Decimal(price),
                planned_quantity=Decimal(planned),
                source=source,
            )
            for code, name, unit, price, planned, source in ITEMS
        ]
        contract = services.contract_activate(actor=manager, contract=contract, signed_on=contract.signed_on)
        rng = random.Random(2026)
        acts = []
        records = 0
        for month in [first, _add_months(first, 1), _add_months(first, 2), current]:
            records += _month_of_work(manager, contract, items, month, today, rng)
            services.work_records_from_trip_loads(actor=manager, contract=contract, month=month)
            acts.append(services.act_build(actor=manager, contract=contract, month=month))
        accepted, answered, disputed, _draft = acts
        _submit(manager, accepted)
        services.act_accept(actor=mayor, act=accepted)
        _submit(manager, answered)
        sweeping = answered.lines.get(work_item__code="2")
        services.act_line_dispute(
            actor=mayor,
            line=sweeping,
            comment="По ул. Жениш подметание 12–14 числа не проводилось, жители жаловались. Просим снять объём.",
        )
        services.act_line_answer(
            actor=manager,
            line=sweeping,
            answer="Согласны: в эти дни техника была на ремонте. Объём уменьшен на 6 км.",
            corrected_quantity=max(Decimal("0"), sweeping.actual_quantity - 6),
        )
        _submit(manager, disputed)
        services.act_line_dispute(
            actor=mayor,
            line=disputed.lines.get(work_item__code="3"),
            comment="Сквер Победы не скошен, фотографии к записям за вторую половину месяца не приложены.",
        )
        # Dates as they would have been: each act submitted on the 3rd of the next month, accepted on the 10th.
        for act in (accepted, answered, disputed):
            after = next_month(act.month)
            submitted = timezone.make_aware(
                datetime.datetime.combine(after.replace(day=3), datetime.time(10))
            )
            Act.objects.filter(pk=act.pk).update(submitted_at=min(submitted, timezone.now()))
        Act.objects.filter(pk=accepted.pk).update(
            accepted_at=timezone.make_aware(
                datetime.datetime.combine(next_month(accepted.month).replace(day=10), datetime.time(15))
            )
        )
        loads = WorkItem.objects.get(pk=items[0].pk).records.count()
    stdout.write(
        f"Municipal orders: {contract.number} for {provider.code} from {customer.code}, {len(items)} work items, "
        f"{records} work records and {loads} trip loads, {len(acts)} acts."
    )
    return []


def _submit(actor, act: Act) -> None:
    services.act_submit(actor=actor, act=act)


def _month_of_work(actor, contract: Contract, items: list[WorkItem], month: datetime.date, today, rng) -> int:
    """Manual records of one month: a record every two or three days for each item, near its monthly plan."""
    end = min(next_month(month) - datetime.timedelta(days=1), today - datetime.timedelta(days=1))
    days = []
    day = month + datetime.timedelta(days=rng.randrange(2))
    while day <= end:
        if day.weekday() != 6:
            days.append(day)
        day += datetime.timedelta(days=rng.choice((2, 3)))
    count = 0
    winter = month.month in (11, 12, 1, 2, 3)
    for item in items:
        if item.source != WorkSource.MANUAL or not days:
            continue
        if item.unit == WorkUnit.TRIP and winter:
            continue  # no watering in winter
        per_day = item.monthly_plan / len(days)
        for index, day in enumerate(days):
            quantity = (per_day * Decimal(rng.uniform(0.75, 1.15))).quantize(Decimal("0.1"))
            if item.unit in (WorkUnit.PIECE, WorkUnit.TRIP):
                quantity = quantity.quantize(Decimal("1"))
            if quantity <= 0:
                continue
            services.work_record_add(
                actor=actor,
                work_item=item,
                date=day,
                quantity=quantity,
                note=rng.choice(STREETS),
                photo=_photo(rng) if index % 4 == 0 else None,
            )
            count += 1
    return count
