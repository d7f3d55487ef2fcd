"""Generated places, organizations, users and memberships (the configuration rows: hundreds, through the ORM).

The pilot foundation of ``khizmat demo`` comes first (countries' regions, the pilot organizations), so generated
districts hang under real regions. Each generated organization gets one district of its own (code ``G0001``…),
a town and four villages with coordinates inside its country, and one login per role it needs
(``g0001.manager``, ``g0001.cashier``…, all with the demo password). ``gen-agency`` oversees every generated
organization and its monitor ``gen.monitor`` sees them all, like a national agency's monitoring staff.
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password
from django.utils import translation

from khizmat.core.demo import DEMO_PASSWORD
from khizmat.core.generate import AGENCY_CODE, MONITOR_USERNAME, Generator, Unit, org_code, register
from khizmat.core.search import search_keys
from khizmat.tenancy.choices import DistrictKind, OrganizationKind, OversightKind, SettlementKind
from khizmat.tenancy.demo import build_foundation
from khizmat.tenancy.models import (
    Country,
    District,
    Membership,
    Organization,
    Oversight,
    Region,
    Settlement,
    User,
)
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

# Place names are built from common parts of Kyrgyz and Uzbek village names: plausible, not real places.
_PARTS = {
    "KG": (
        ["Ак", "Кара", "Көк", "Сары", "Кызыл", "Жаңы", "Чоң", "Орто", "Төмөн", "Жогорку"],
        ["-Суу", "-Булак", "-Таш", "-Жар", "-Көл", "-Арык", "-Тоо", "-Дөбө", "-Сай", "-Кыя"],
        # (Latin for the Uzbek and English columns)
        ["Ak", "Kara", "Kok", "Sary", "Kyzyl", "Jangy", "Chong", "Orto", "Tomon", "Jogorku"],
        ["-Suu", "-Bulak", "-Tash", "-Jar", "-Kol", "-Aryk", "-Too", "-Dobo", "-Sai", "-Kyia"],
    ),
    "UZ": (
        ["Янги", "Қора", "Оқ", "Кўк", "Катта", "Сариқ", "Тошли", "Боғ", "Кичик", "Олма"],
        ["обод", "қишлоқ", "ариқ", "булоқ", "тепа", "сой", "боғ", "ер", "кент", "зор"],
        ["Yangi", "Qora", "Oq", "Koʻk", "Katta", "Sariq", "Toshli", "Bogʻ", "Kichik", "Olma"],
        ["obod", "qishloq", "ariq", "buloq", "tepa", "soy", "bogʻ", "yer", "kent", "zor"],
    ),
}
# Rough boxes of the inhabited parts of each country (lat, lon ranges).
_BOXES = {"KG": ((40.5, 42.8), (71.0, 78.5)), "UZ": ((38.0, 41.5), (64.0, 71.0))}
VILLAGES_PER_ORGANIZATION = 4
ROLES = {
    OrganizationKind.MUNICIPAL_ENTERPRISE: (Role.MANAGER, Role.CASHIER, Role.DISPATCHER),
    OrganizationKind.SERVICE_CENTER: (Role.MANAGER, Role.OPERATOR, Role.DISPATCHER),
}
_FIRST = {
    "KG": ["Айгүл", "Азамат", "Жылдыз", "Нурбек", "Бермет", "Эрлан", "Асел", "Улан"],
    "UZ": ["Dilnoza", "Jasur", "Malika", "Bekzod", "Nodira", "Sardor", "Sevara", "Otabek"],
}
_LAST = {
    "KG": ["Токтосунова", "Жумабаев", "Осмонова", "Сыдыков", "Мамытова", "Исаков", "Эсенгулова", "Асанбеков"],
    "UZ": ["Karimova", "Yusupov", "Rahimova", "Tursunov", "Nazarova", "Ergashev", "Saidova", "Qodirov"],
}


def _place(country: str, rng: random.Random) -> tuple[str, str]:
    """A (Cyrillic, Latin) pair of one place name."""
    first_cyr, second_cyr, first_lat, second_lat = _PARTS[country]
    a, b = rng.randrange(len(first_cyr)), rng.randrange(len(second_cyr))
    return first_cyr[a] + second_cyr[b], first_lat[a] + second_lat[b]


def _names(cyrillic: str, latin: str, country: str, what: str) -> dict[str, str]:
    """Five-language names of a settlement (``what`` = "") or an organization of the place."""
    labels = {
        "": ("", "", "", "", ""),
        "enterprise": (
            " municipal enterprise",
            " муниципальное предприятие",
            " kommunal korxonasi",
            " коммунал корхонаси",
            " муниципалдык ишканасы",
        ),
        "center": (
            " public service center",
            " центр государственных услуг",
            " davlat xizmatlari markazi",
            " давлат хизматлари маркази",
            " мамлекеттик кызматтар борбору",
        ),
        "district": (" district", " район", " tumani", " тумани", " району"),
    }[what]
    return {
        "name": latin + labels[0],
        "name_en": latin + labels[0],
        "name_ru": cyrillic + labels[1] if country == "KG" else latin + labels[1],
        "name_uz": latin + labels[2],
        "name_uz_cyrl": cyrillic + labels[3],
        "name_ky": cyrillic + labels[4],
    }


def _kind(index: int) -> tuple[str, str]:
    """(organization kind, country) of the ``index``-th generated organization."""
    if index % 2:
        return OrganizationKind.MUNICIPAL_ENTERPRISE, ("KG" if index % 4 == 1 else "UZ")
    return OrganizationKind.SERVICE_CENTER, "UZ"


@register
def build(gen: Generator) -> None:
    with translation.override("en"):
        build_foundation(stdout=_Quiet(), scale=0)
    rng = random.Random(f"khizmat-generate-{gen.seed}-foundation")
    countries = {country.code: country for country in Country.objects.filter(code__in=["KG", "UZ"])}
    regions = {
        code: list(Region.objects.filter(country__code=code).order_by("code")) for code in ("KG", "UZ")
    }
    with scopes_disabled():
        units = []
        for index in range(1, gen.scale.organizations + 1):
            kind, country = _kind(index)
            currency = countries[country].currency
            units.append(
                Unit(index=index, code=org_code(index), kind=kind, country=country, currency=currency)
            )
        counters: dict[str, int] = {}
        for unit in units:
            unit.k = counters.get(unit.kind, 0)
            counters[unit.kind] = unit.k + 1

        # Districts, one per organization, under the real regions of its country in turn.
        districts, towns = [], []
        for unit in units:
            region = regions[unit.country][unit.index % len(regions[unit.country])]
            unit.region_id = region.pk
            cyrillic, latin = _place(unit.country, rng)
            towns.append((cyrillic, latin))
            districts.append(
                District(
                    region=region,
                    code=f"G{unit.index:04d}",
                    kind=DistrictKind.DISTRICT,
                    **_names(cyrillic, latin, unit.country, "district"),
                    search_key=search_keys(latin, cyrillic),
                )
            )
        District.objects.bulk_create(districts, batch_size=500)
        district_ids = dict(
            District.objects.filter(code__startswith="G", code__in=[d.code for d in districts]).values_list(
                "code", "pk"
            )
        )

        settlements = []
        for unit, (cyrillic, latin) in zip(units, towns, strict=True):
            (lat_lo, lat_hi), (lon_lo, lon_hi) = _BOXES[unit.country]
            unit.latitude = round(rng.uniform(lat_lo, lat_hi), 6)
            unit.longitude = round(rng.uniform(lon_lo, lon_hi), 6)
            district_id = district_ids[f"G{unit.index:04d}"]
            places = [(cyrillic, latin, SettlementKind.TOWN, 0.0, 0.0)]
            for _ in range(VILLAGES_PER_ORGANIZATION):
                v_cyr, v_lat = _place(unit.country, rng)
                places.append(
                    (v_cyr, v_lat, SettlementKind.VILLAGE, rng.uniform(-0.08, 0.08), rng.uniform(-0.1, 0.1))
                )
            for v_cyr, v_lat, kind, d_lat, d_lon in places:
                settlements.append(
                    Settlement(
                        district_id=district_id,
                        kind=kind,
                        latitude=round(unit.latitude + d_lat, 6),
                        longitude=round(unit.longitude + d_lon, 6),
                        **_names(v_cyr, v_lat, unit.country, ""),
                        search_key=search_keys(v_lat, v_cyr),
                    )
                )
        Settlement.objects.bulk_create(settlements, batch_size=1000)
        by_district: dict[int, list[int]] = {}
        for settlement_id, district_id in (
            Settlement.objects.filter(district_id__in=district_ids.values())
            .order_by("pk")
            .values_list("pk", "district_id")
        ):
            by_district.setdefault(district_id, []).append(settlement_id)

        organizations = []
        for unit, (cyrillic, latin) in zip(units, towns, strict=True):
            district_id = district_ids[f"G{unit.index:04d}"]
            unit.settlement_ids = by_district[district_id]
            what = "enterprise" if unit.kind == OrganizationKind.MUNICIPAL_ENTERPRISE else "center"
            names = _names(cyrillic, latin, unit.country, what)
            organizations.append(
                Organization(
                    code=unit.code,
                    kind=unit.kind,
                    country=countries[unit.country],
                    region_id=unit.region_id,
                    district_id=district_id,
                    settlement_id=unit.settlement_ids[0],
                    address=f"{latin}, {rng.randint(1, 40)}",
                    phone=f"+{countries[unit.country].phone_prefix.lstrip('+')}{rng.randint(10**8, 10**9 - 1)}",
                    is_active=True,
                    search_key=search_keys(*names.values()),
                    **names,
                )
            )
        agency = Organization(
            code=AGENCY_CODE,
            kind=OrganizationKind.AGENCY,
            country=countries["UZ"],
            is_active=True,
            name="National monitoring (generated data)",
            name_en="National monitoring (generated data)",
            name_ru="Национальный мониторинг (сгенерированные данные)",
        )
        agency.search_key = search_keys(agency.name, agency.name_ru)
        Organization.objects.bulk_create([*organizations, agency], batch_size=500)
        org_ids = dict(
            Organization.objects.filter(code__in=[u.code for u in units] + [AGENCY_CODE]).values_list(
                "code", "pk"
            )
        )
        for unit in units:
            unit.org_id = org_ids[unit.code]
        Oversight.objects.bulk_create(
            [
                Oversight(overseer_id=org_ids[AGENCY_CODE], overseen_id=u.org_id, kind=OversightKind.BRANCH)
                for u in units
            ],
            batch_size=1000,
        )

        # Users: one password hash for all (Argon2 per user would take minutes), search keys as User.save makes them.
        password = make_password(DEMO_PASSWORD)
        users, roles = [], []
        for unit in units:
            for n, role in enumerate(ROLES[unit.kind]):
                first = _FIRST[unit.country][(unit.index + n) % len(_FIRST[unit.country])]
                last = _LAST[unit.country][(unit.index * 3 + n) % len(_LAST[unit.country])]
                username = f"{unit.code}.{role}"
                users.append(
                    User(
                        username=username,
                        first_name=first,
                        last_name=last,
                        password=password,
                        language="ky" if unit.country == "KG" else "uz",
                        search_key=search_keys(first, last, username, f"{last} {first}"),
                    )
                )
                roles.append((unit, role))
        users.append(
            User(
                username=MONITOR_USERNAME,
                first_name="Monitor",
                last_name="National",
                password=password,
                language="ru",
                search_key=search_keys("Monitor", "National", MONITOR_USERNAME),
            )
        )
        User.objects.bulk_create(users, batch_size=1000)
        user_ids = dict(
            User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
        )
        memberships = []
        for unit, role in roles:
            unit.users[role] = user_ids[f"{unit.code}.{role}"]
            memberships.append(Membership(organization_id=unit.org_id, user_id=unit.users[role], role=role))
        memberships.append(
            Membership(
                organization_id=org_ids[AGENCY_CODE], user_id=user_ids[MONITOR_USERNAME], role=Role.MONITOR
            )
        )
        Membership.objects.bulk_create(memberships, batch_size=1000)
    gen.units = units
    gen.say(
        f"Foundation: {len(units)} organizations ({counters.get(OrganizationKind.MUNICIPAL_ENTERPRISE, 0)} "
        f"enterprises, {counters.get(OrganizationKind.SERVICE_CENTER, 0)} service centers), "
        f"{len(settlements)} settlements, {len(users)} logins."
    )


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass


def generated_already() -> bool:
    """Whether the foundation's first generated organization is in the database."""
    return Organization.objects.filter(code=org_code(1)).exists()
