"""Demo citizen reports around Toktogul, the Issyk-Kul pilot villages and the Uzbek pilot towns.

Report types per organization (five languages), an Open311 client for the Toktogul enterprise, and a few hundred
reports over the last 60 days at real town coordinates, with mixed statuses and public notes. Set-based and
idempotent: an organization that already has reports is skipped.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from khizmat.core.demo import register
from khizmat.reports.choices import ReportSource, ReportStatus
from khizmat.reports.models import Open311Client, Report, ReportType, ReportUpdate, ServiceArea
from khizmat.tenancy.calendar import add_working_days
from khizmat.tenancy.models import Membership, Organization
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled
from khizmat.tenancy.sequences import NumberSequence

PICKUP_ATTRIBUTES = [
    {
        "code": "container",
        "datatype": "string",
        "required": False,
        "description": "Container number",
        "order": 1,
    },
    {
        "code": "how_long",
        "datatype": "singlevaluelist",
        "required": False,
        "description": "How long has it been there?",
        "values": [
            {"key": "day", "name": "One day"},
            {"key": "days", "name": "Several days"},
            {"key": "week", "name": "A week or more"},
        ],
    },
]

# code: (en, ru, ky, uz, uz_cyrl, group, working days, attributes)
TYPES = {
    "missed-pickup": (
        "Missed waste pickup",
        "Не вывезли мусор",
        "Таштанды чыгарылган жок",
        "Chiqindi olib ketilmadi",
        "Чиқинди олиб кетилмади",
        "Waste",
        2,
        PICKUP_ATTRIBUTES,
    ),
    "overflowing-container": (
        "Overflowing container",
        "Переполнен контейнер",
        "Контейнер толуп калды",
        "Konteyner toʻlib ketgan",
        "Контейнер тўлиб кетган",
        "Waste",
        2,
        PICKUP_ATTRIBUTES,
    ),
    "illegal-dump": (
        "Illegal dump",
        "Стихийная свалка",
        "Мыйзамсыз таштанды төгүлгөн жер",
        "Noqonuniy chiqindixona",
        "Ноқонуний чиқиндихона",
        "Waste",
        5,
        [],
    ),
    "street-light": (
        "Broken street light",
        "Не горит уличный фонарь",
        "Көчө чырагы күйбөйт",
        "Koʻcha chirogʻi yonmayapti",
        "Кўча чироғи ёнмаяпти",
        "Streets",
        5,
        [],
    ),
    "green-area": (
        "Damaged green area",
        "Повреждены зелёные насаждения",
        "Жашыл аймак бузулган",
        "Yashil hudud shikastlangan",
        "Яшил ҳудуд шикастланган",
        "Greening",
        10,
        [],
    ),
}
ORG_TYPES = {
    "ynguuluu-shart": ["missed-pickup", "overflowing-container", "illegal-dump", "green-area"],
    "toktogul-mayor": ["street-light", "illegal-dump"],
    "tepke-ao": ["missed-pickup", "illegal-dump", "street-light"],
    "kyzyl-suu-ao": ["missed-pickup", "illegal-dump", "street-light"],
    "bakhmal-hokimiyat": ["street-light", "illegal-dump", "missed-pickup"],
    "sariosiyo": ["street-light", "illegal-dump"],
    "dehkanabad": ["street-light", "illegal-dump"],
    "xovos": ["street-light", "illegal-dump"],
    "nurafshon": ["street-light", "illegal-dump", "green-area"],
}
SHARE = {"ynguuluu-shart": 0.35, "toktogul-mayor": 0.1, "tepke-ao": 0.07, "kyzyl-suu-ao": 0.07}
NOTES = {
    "KG": [
        "Контейнер бошотулду.",
        "Бригада жиберилди, эртең тазаланат.",
        "Чырак алмаштырылды.",
        "Аймак тазаланды.",
    ],
    "UZ": ["Chiroq almashtirildi.", "Hudud tozalandi.", "Brigada yuborildi.", "Chiqindi olib ketildi."],
}
DESCRIPTIONS = {
    "KG": ["Эки күндөн бери алынган жок", "Көчөнүн аягында", "Мектептин жанында", "Базардын артында", ""],
    "UZ": ["Ikki kundan beri", "Maktab yonida", "Bozor orqasida", "Koʻcha oxirida", ""],
}


def _ensure_types(organization: Organization) -> list[ReportType]:
    result = []
    for code in ORG_TYPES[organization.code]:
        en, ru, ky, uz, uz_cyrl, group, days, attributes = TYPES[code]
        report_type = ReportType.objects.filter(organization=organization, code=code).first()
        if report_type is None:
            report_type = ReportType(organization=organization, code=code)
            report_type.name = en
            report_type.name_en, report_type.name_ru, report_type.name_ky = en, ru, ky
            report_type.name_uz, report_type.name_uz_cyrl = uz, uz_cyrl
            report_type.group = group
            report_type.resolution_working_days = days
            report_type.attributes = attributes
            report_type.save()
        result.append(report_type)
    return result


def build_reports(*, stdout, scale: float = 1.0):
    total = round(300 * scale)
    with scopes_disabled():
        organizations = {
            o.code: o
            for o in Organization.objects.filter(code__in=ORG_TYPES).select_related(
                "settlement", "district", "country"
            )
        }
        for code, organization in organizations.items():
            types = _ensure_types(organization)
            if (
                code == "ynguuluu-shart"
                and not Open311Client.objects.filter(organization=organization).exists()
            ):
                Open311Client.objects.create(organization=organization, name="Toktogul city app")
            if (
                organization.settlement_id
                and not ServiceArea.objects.filter(organization=organization).exists()
            ):
                ServiceArea.objects.create(
                    organization=organization,
                    name=str(organization.settlement),
                    settlement=organization.settlement,
                    radius_km=5,
                    report_type_codes=",".join(ORG_TYPES[code]),
                )
            if Report.objects.filter(organization=organization).exists() or total == 0:
                continue
            count = max(1, round(total * SHARE.get(code, 0.07)))
            added = _generate(organization, types, count)
            stdout.write(f"Reports {code}: {len(types)} types, {added} reports.")
    return []


def _generate(organization: Organization, types: list[ReportType], count: int) -> int:
    rng = random.Random(f"khizmat-demo-reports-{organization.code}")
    settlement = organization.settlement
    if settlement is None or settlement.latitude is None:
        return 0
    handlers = list(
        Membership.objects.filter(
            organization=organization, role__in=[Role.DISPATCHER, Role.MANAGER]
        ).values_list("user_id", flat=True)
    )
    now = timezone.now()
    country_code = organization.country.code
    due_cache: dict[tuple, datetime.date] = {}
    reports, steps = [], []
    year_counts: dict[int, int] = {}
    moments = sorted(now - datetime.timedelta(minutes=rng.randint(30, 60 * 24 * 60)) for _ in range(count))
    for moment in moments:
        report_type = rng.choice(types)
        year_counts[moment.year] = year_counts.get(moment.year, 0) + 1
        key = (timezone.localdate(moment), report_type.resolution_working_days)
        if key not in due_cache:
            due_cache[key] = add_working_days(organization.country, key[0], key[1])
        expected = datetime.datetime.combine(
            due_cache[key], datetime.time(18), tzinfo=timezone.get_current_timezone()
        )
        age_days = (now - moment).days
        if age_days > 20:
            status = rng.choices(
                [ReportStatus.RESOLVED, ReportStatus.CLOSED, ReportStatus.IN_PROGRESS], [6, 3, 1]
            )[0]
        elif age_days > 3:
            status = rng.choices(
                [
                    ReportStatus.RESOLVED,
                    ReportStatus.IN_PROGRESS,
                    ReportStatus.ACKNOWLEDGED,
                    ReportStatus.OPEN,
                ],
                [4, 3, 2, 1],
            )[0]
        else:
            status = rng.choices(
                [ReportStatus.OPEN, ReportStatus.ACKNOWLEDGED, ReportStatus.IN_PROGRESS], [5, 3, 1]
            )[0]
        jitter = Decimal("0.012")
        note = (
            rng.choice(NOTES[country_code]) if status in (ReportStatus.RESOLVED, ReportStatus.CLOSED) else ""
        )
        report = Report(
            organization=organization,
            number=f"R-{moment.year}-{year_counts[moment.year]:06d}",
            report_type=report_type,
            status=status,
            description=rng.choice(DESCRIPTIONS[country_code]),
            latitude=(settlement.latitude + Decimal(rng.uniform(-1, 1)) * jitter).quantize(
                Decimal("0.000001")
            ),
            longitude=(settlement.longitude + Decimal(rng.uniform(-1, 1)) * jitter).quantize(
                Decimal("0.000001")
            ),
            source=rng.choice(
                [ReportSource.PORTAL, ReportSource.PORTAL, ReportSource.OPEN311, ReportSource.STAFF]
            ),
            requested_at=moment,
            updated_at=moment,
            expected_at=expected,
            public_note=note,
            assigned_to_id=rng.choice(handlers) if handlers and status != ReportStatus.OPEN else None,
            citizen_language="ky" if country_code == "KG" else "uz",
        )
        reports.append(report)
    Report.objects.bulk_create(reports, batch_size=500)
    for report in reports:
        path = {
            ReportStatus.OPEN: [ReportStatus.OPEN],
            ReportStatus.ACKNOWLEDGED: [ReportStatus.OPEN, ReportStatus.ACKNOWLEDGED],
            ReportStatus.IN_PROGRESS: [
                ReportStatus.OPEN,
                ReportStatus.ACKNOWLEDGED,
                ReportStatus.IN_PROGRESS,
            ],
            ReportStatus.RESOLVED: [ReportStatus.OPEN, ReportStatus.ACKNOWLEDGED, ReportStatus.RESOLVED],
            ReportStatus.CLOSED: [ReportStatus.OPEN, ReportStatus.RESOLVED, ReportStatus.CLOSED],
        }[report.status]
        if report.status == ReportStatus.RESOLVED and rng.random() < 0.08:
            # The citizen said it was not solved: reopened, then resolved again.
            path = path + [ReportStatus.OPEN, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED]
        at = report.requested_at
        for index, status in enumerate(path):
            if index:
                at = min(at + datetime.timedelta(hours=rng.randint(2, 60)), now)
            steps.append(
                ReportUpdate(
                    organization=organization,
                    report=report,
                    status=status,
                    public_note=report.public_note if status == report.status else "",
                    actor_id=report.assigned_to_id if index else None,
                    at=at,
                )
            )
        report.updated_at = at
    ReportUpdate.objects.bulk_create(steps, batch_size=1000)
    Report.objects.bulk_update(reports, ["updated_at"], batch_size=500)
    for year, used in year_counts.items():
        sequence, _created = NumberSequence.objects.get_or_create(
            organization=organization, key=f"report:{year}"
        )
        if sequence.last_value < used:
            NumberSequence.objects.filter(pk=sequence.pk, organization=organization).update(last_value=used)
    return len(reports)


register(build_reports)
