"""The foundation of the demo: the pilot sites' places, organizations, oversight links and one login per role.

Uzbekistan: the five pilot Public Service Centers of the EU/UNDP project (field report of the Public Services
Agency), their regional branches and the national agency. Kyrgyzstan: the SDC/Helvetas pilots — the municipal
enterprise «Ыңгайлуу шарт» of Toktogul town and two aiyl okmotus of Issyk-Kul region.

Places, organizations and the projects are real; the mahallas, street addresses, phone numbers and people are
illustrative. Coordinates of the district centres are approximate.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import models

from khizmat.core.demo import DEMO_PASSWORD, PLATFORM_ADMIN_USERNAME, DemoLogin, register
from khizmat.tenancy.choices import DistrictKind, OrganizationKind, OversightKind, SettlementKind
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


@dataclass(frozen=True)
class Names:
    """A name in the five interface languages (ky Kyrgyz Cyrillic, uz Uzbek Latin, uz_cyrl Uzbek Cyrillic)."""

    en: str
    ru: str
    uz: str
    uz_cyrl: str
    ky: str

    def fields(self) -> dict[str, str]:
        # ``name`` first: while English is active, setting it also sets ``name_en``; the explicit columns follow.
        return {
            "name": self.en,
            "name_en": self.en,
            "name_ru": self.ru,
            "name_uz": self.uz,
            "name_uz_cyrl": self.uz_cyrl,
            "name_ky": self.ky,
        }


@dataclass(frozen=True)
class RegionData:
    country: str
    code: str
    names: Names
    aliases: str = ""


@dataclass(frozen=True)
class DistrictData:
    region: str
    code: str
    names: Names
    aliases: str = ""
    kind: str = DistrictKind.DISTRICT


@dataclass(frozen=True)
class SettlementData:
    district: str
    kind: str
    names: Names
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    aliases: str = ""


@dataclass(frozen=True)
class OrganizationData:
    code: str
    kind: str
    country: str
    names: Names
    region: str = ""
    district: str = ""
    settlement: str = ""  # English name of a settlement of ``district``
    address: str = ""
    phone: str = ""
    aliases: str = ""


REGIONS = [
    RegionData(
        "UZ",
        "JZ",
        Names("Jizzakh region", "Джизакская область", "Jizzax viloyati", "Жиззах вилояти", "Жизак облусу"),
        "Jizzakh\nJizzax\nДжизак\nDjizak",
    ),
    RegionData(
        "UZ",
        "SU",
        Names(
            "Surkhandarya region",
            "Сурхандарьинская область",
            "Surxondaryo viloyati",
            "Сурхондарё вилояти",
            "Сурхандария облусу",
        ),
        "Surkhandarya\nSurxondaryo\nСурхандарья",
    ),
    RegionData(
        "UZ",
        "QA",
        Names(
            "Kashkadarya region",
            "Кашкадарьинская область",
            "Qashqadaryo viloyati",
            "Қашқадарё вилояти",
            "Кашкадария облусу",
        ),
        "Kashkadarya\nQashqadaryo\nКашкадарья",
    ),
    RegionData(
        "UZ",
        "SI",
        Names(
            "Syrdarya region",
            "Сырдарьинская область",
            "Sirdaryo viloyati",
            "Сирдарё вилояти",
            "Сырдарыя облусу",
        ),
        "Syrdarya\nSirdaryo\nСырдарья",
    ),
    RegionData(
        "UZ",
        "TO",
        Names(
            "Tashkent region", "Ташкентская область", "Toshkent viloyati", "Тошкент вилояти", "Ташкент облусу"
        ),
        "Toshkent viloyati\nТашкентская обл.",
    ),
    RegionData(
        "KG",
        "JA",
        Names(
            "Jalal-Abad region",
            "Джалал-Абадская область",
            "Jalol-Obod viloyati",
            "Жалол-Обод вилояти",
            "Жалал-Абад облусу",
        ),
        "Jalal-Abad\nJalalabad\nDzhalal-Abad\nДжалал-Абад\nЖалал-Абад",
    ),
    RegionData(
        "KG",
        "IK",
        Names(
            "Issyk-Kul region",
            "Иссык-Кульская область",
            "Issiqkoʻl viloyati",
            "Иссиқкўл вилояти",
            "Ысык-Көл облусу",
        ),
        "Issyk-Kul\nIssyk-Kol\nYsyk-Kol\nИссык-Куль\nЫсык-Көл",
    ),
]

DISTRICTS = [
    DistrictData(
        "JZ",
        "BAX",
        Names("Bakhmal district", "Бахмальский район", "Baxmal tumani", "Бахмал тумани", "Бахмал району"),
        "Bakhmal\nBaxmal\nБахмал",
    ),
    DistrictData(
        "SU",
        "SAR",
        Names(
            "Sariosiyo district",
            "Сариасийский район",
            "Sariosiyo tumani",
            "Сариосиё тумани",
            "Сариасия району",
        ),
        "Sariosiyo\nSariasiya\nSariasia\nСариасия\nСариосиё",
    ),
    DistrictData(
        "QA",
        "DEH",
        Names(
            "Dehkanabad district",
            "Дехканабадский район",
            "Dehqonobod tumani",
            "Деҳқонобод тумани",
            "Дехканабад району",
        ),
        "Dehkanabad\nDehqonobod\nДехканабад\nДеҳқонобод",
    ),
    DistrictData(
        "SI",
        "XOV",
        Names("Khavos district", "Хавастский район", "Xovos tumani", "Ховос тумани", "Ховос району"),
        # The uzbekistan package spells it Xavos; Russian sources say Khavast.
        "Xavos\nХавос\nKhavast\nХаваст\nXovos\nKhovos",
    ),
    DistrictData(
        "TO",
        "NUR",
        Names("Nurafshon city", "город Нурафшан", "Nurafshon shahri", "Нурафшон шаҳри", "Нурафшон шаары"),
        "Nurafshon\nNurafshan\nНурафшан\nНурафшон\nToʻytepa\nToytepa\nТойтепа",
        kind=DistrictKind.CITY,
    ),
    DistrictData(
        "JA",
        "TOK",
        Names(
            "Toktogul district",
            "Токтогульский район",
            "Toktogul tumani",
            "Токтогул тумани",
            "Токтогул району",
        ),
        "Toktogul\nТоктогул",
    ),
    DistrictData(
        "IK",
        "AKS",
        Names("Ak-Suu district", "Ак-Суйский район", "Oqsuv tumani", "Оқсув тумани", "Ак-Суу району"),
        "Ak-Suu\nAksuu\nAksu\nАк-Суу\nАксу",
    ),
    DistrictData(
        "IK",
        "JOG",
        Names(
            "Jeti-Oguz district",
            "Джети-Огузский район",
            "Jeti-Oʻgʻuz tumani",
            "Жети-Ўғуз тумани",
            "Жети-Өгүз району",
        ),
        "Jeti-Oguz\nJety-Oguz\nDzheti-Oguz\nДжети-Огуз\nЖети-Өгүз",
    ),
]

# Mahalla names: (English, Russian, Uzbek Latin, Uzbek Cyrillic, Kyrgyz) roots.
_MAHALLAS = [
    ("Mustaqillik", "Мустакиллик", "Mustaqillik", "Мустақиллик", "Мустакиллик"),
    ("Navruz", "Навруз", "Navroʻz", "Наврўз", "Нооруз"),
    ("Dustlik", "Дустлик", "Doʻstlik", "Дўстлик", "Достук"),
    ("Guliston", "Гулистан", "Guliston", "Гулистон", "Гулистан"),
    ("Tinchlik", "Тинчлик", "Tinchlik", "Тинчлик", "Тынчтык"),
    ("Yangiobod", "Янгиабад", "Yangiobod", "Янгиобод", "Жаңыабад"),
    ("Navbahor", "Навбахор", "Navbahor", "Навбаҳор", "Навбахор"),
    ("Bogishamol", "Багишамал", "Bogʻishamol", "Боғишамол", "Багышамал"),
    ("Mehnatobod", "Мехнатабад", "Mehnatobod", "Меҳнатобод", "Мехнатабад"),
    ("Oqtepa", "Актепа", "Oqtepa", "Оқтепа", "Актөбө"),
]


def _mahalla(district: str, index: int) -> SettlementData:
    en, ru, uz, uz_cyrl, ky = _MAHALLAS[index]
    return SettlementData(
        district,
        SettlementKind.MAHALLA,
        Names(f"{en} mahalla", f"махалля {ru}", f"{uz} mahallasi", f"{uz_cyrl} маҳалласи", f"{ky} махалласы"),
    )


SETTLEMENTS = [
    SettlementData(
        "BAX",
        SettlementKind.TOWN,
        Names("Usmat", "Усмат", "Usmat", "Усмат", "Усмат"),
        Decimal("39.73"),
        Decimal("67.64"),
    ),
    SettlementData(
        "SAR",
        SettlementKind.TOWN,
        Names("Sariosiyo", "Сариасия", "Sariosiyo", "Сариосиё", "Сариасия"),
        Decimal("38.41"),
        Decimal("67.96"),
        "Sariasiya\nSariasia",
    ),
    SettlementData(
        "DEH",
        SettlementKind.TOWN,
        Names("Karashina", "Карашина", "Qorashina", "Қорашина", "Карашина"),
        Decimal("38.34"),
        Decimal("66.49"),
        "Qorashina\nKarashina",
    ),
    SettlementData(
        "XOV",
        SettlementKind.TOWN,
        Names("Khavos", "Хаваст", "Xovos", "Ховос", "Ховос"),
        Decimal("40.22"),
        Decimal("68.84"),
        "Xavos\nХавос\nKhavast\nХаваст",
    ),
    SettlementData(
        "NUR",
        SettlementKind.TOWN,
        Names("Nurafshon", "Нурафшан", "Nurafshon", "Нурафшон", "Нурафшон"),
        Decimal("41.04"),
        Decimal("69.36"),
        "Nurafshan\nToʻytepa\nToytepa\nТойтепа",
    ),
    *(
        _mahalla(code, 2 * i + k)
        for i, code in enumerate(["BAX", "SAR", "DEH", "XOV", "NUR"])
        for k in (0, 1)
    ),
    SettlementData(
        "TOK",
        SettlementKind.TOWN,
        Names("Toktogul", "Токтогул", "Toktogul", "Токтогул", "Токтогул"),
        Decimal("41.87"),
        Decimal("72.94"),
        "Toktogul\nТоктогул\nMuztor\nМузтор",
    ),
    SettlementData(
        "TOK",
        SettlementKind.VILLAGE,
        Names("Chech-Dobo", "Чеч-Дёбё", "Chech-Doʻboʻ", "Чеч-Дўбў", "Чеч-Дөбө"),
        aliases="Chech-Dyobyo\nChech-Döbö",
    ),
    SettlementData(
        "TOK",
        SettlementKind.VILLAGE,
        Names("Uch-Terek", "Уч-Терек", "Uch-Terak", "Уч-Терак", "Үч-Терек"),
        aliases="Uchterek",
    ),
    SettlementData(
        "AKS",
        SettlementKind.VILLAGE,
        Names("Tepke", "Тепке", "Tepke", "Тепке", "Тепке"),
        Decimal("42.51"),
        Decimal("78.49"),
    ),
    SettlementData(
        "JOG",
        SettlementKind.VILLAGE,
        Names("Kyzyl-Suu", "Кызыл-Суу", "Qizilsuv", "Қизилсув", "Кызыл-Суу"),
        Decimal("42.34"),
        Decimal("77.99"),
        "Kyzyl-Suu\nKizil-Suu\nКызыл-Суу",
    ),
]

# Regional branches of the Public Services Agency, by region: code suffix, then the region as the branch's name
# needs it in English, Russian, Uzbek Latin, Uzbek Cyrillic and Kyrgyz.
_BRANCHES = {
    "JZ": (
        "jizzakh",
        "Jizzakh",
        "по Джизакской области",
        "Jizzax viloyati",
        "Жиззах вилояти",
        "Жизак облустук",
    ),
    "SU": (
        "surkhandarya",
        "Surkhandarya",
        "по Сурхандарьинской области",
        "Surxondaryo viloyati",
        "Сурхондарё вилояти",
        "Сурхандария облустук",
    ),
    "QA": (
        "kashkadarya",
        "Kashkadarya",
        "по Кашкадарьинской области",
        "Qashqadaryo viloyati",
        "Қашқадарё вилояти",
        "Кашкадария облустук",
    ),
    "SI": (
        "syrdarya",
        "Syrdarya",
        "по Сырдарьинской области",
        "Sirdaryo viloyati",
        "Сирдарё вилояти",
        "Сырдарыя облустук",
    ),
    "TO": (
        "tashkent-region",
        "Tashkent",
        "по Ташкентской области",
        "Toshkent viloyati",
        "Тошкент вилояти",
        "Ташкент облустук",
    ),
}

_CENTERS = [
    # region, district, code, settlement, English, Russian, Uzbek Latin, Uzbek Cyrillic, Kyrgyz, address, phone
    (
        "JZ",
        "BAX",
        "bakhmal",
        "Usmat",
        "Bakhmal district",
        "Бахмальского района",
        "Baxmal tumani",
        "Бахмал тумани",
        "Бахмал районунун",
        "Usmat shaharchasi, Mustaqillik koʻchasi, 1",
        "+998 72 000 01 01",
    ),
    (
        "SU",
        "SAR",
        "sariosiyo",
        "Sariosiyo",
        "Sariosiyo district",
        "Сариасийского района",
        "Sariosiyo tumani",
        "Сариосиё тумани",
        "Сариасия районунун",
        "Sariosiyo shaharchasi, Amir Temur koʻchasi, 5",
        "+998 76 000 01 02",
    ),
    (
        "QA",
        "DEH",
        "dehkanabad",
        "Karashina",
        "Dehkanabad district",
        "Дехканабадского района",
        "Dehqonobod tumani",
        "Деҳқонобод тумани",
        "Дехканабад районунун",
        "Qorashina shaharchasi, Navroʻz koʻchasi, 3",
        "+998 75 000 01 03",
    ),
    (
        "SI",
        "XOV",
        "xovos",
        "Khavos",
        "Khavos district",
        "Хавастского района",
        "Xovos tumani",
        "Ховос тумани",
        "Ховос районунун",
        "Xovos shaharchasi, Mustaqillik koʻchasi, 10",
        "+998 67 000 01 04",
    ),
    (
        "TO",
        "NUR",
        "nurafshon",
        "Nurafshon",
        "Nurafshon city",
        "города Нурафшан",
        "Nurafshon shahri",
        "Нурафшон шаҳри",
        "Нурафшон шаарынын",
        "Nurafshon shahri, Toshkent yoʻli koʻchasi, 2",
        "+998 70 000 01 05",
    ),
]


def _uzbekistan_organizations() -> list[OrganizationData]:
    organizations = [
        OrganizationData(
            "dxa",
            OrganizationKind.AGENCY,
            "UZ",
            Names(
                "Public Services Agency under the Ministry of Justice",
                "Агентство государственных услуг при Министерстве юстиции",
                "Adliya vazirligi huzuridagi Davlat xizmatlari agentligi",
                "Адлия вазирлиги ҳузуридаги Давлат хизматлари агентлиги",
                "Адилет министрлигине караштуу Мамлекеттик кызматтар агенттиги",
            ),
            aliases="DXA\nДХА\nPSA\nDavlat xizmatlari agentligi\nАгентство госуслуг",
        )
    ]
    for region, (suffix, en, ru, uz, uz_cyrl, ky) in _BRANCHES.items():
        organizations.append(
            OrganizationData(
                f"dxa-{suffix}",
                OrganizationKind.AGENCY,
                "UZ",
                Names(
                    f"{en} regional department of the Public Services Agency",
                    f"Управление Агентства государственных услуг {ru}",
                    f"Davlat xizmatlari agentligi {uz} boshqarmasi",
                    f"Давлат хизматлари агентлиги {uz_cyrl} бошқармаси",
                    f"Мамлекеттик кызматтар агенттигинин {ky} башкармалыгы",
                ),
                region=region,
            )
        )
    for region, district, code, settlement, en, ru, uz, uz_cyrl, ky, address, phone in _CENTERS:
        organizations.append(
            OrganizationData(
                code,
                OrganizationKind.SERVICE_CENTER,
                "UZ",
                Names(
                    f"Public Service Center of {en}",
                    f"Центр государственных услуг {ru}",
                    f"{uz} Davlat xizmatlari markazi",
                    f"{uz_cyrl} Давлат хизматлари маркази",
                    f"{ky} Мамлекеттик кызматтар борбору",
                ),
                region=region,
                district=district,
                settlement=settlement,
                address=address,
                phone=phone,
                aliases="DXM\nДХМ\nЦГУ\nPublic Service Center",
            )
        )
    organizations += [
        OrganizationData(
            "bakhmal-hokimiyat",
            OrganizationKind.HOKIMIYAT,
            "UZ",
            Names(
                "Bakhmal district hokimiyat",
                "Хокимият Бахмальского района",
                "Baxmal tumani hokimligi",
                "Бахмал тумани ҳокимлиги",
                "Бахмал районунун хокимияты",
            ),
            region="JZ",
            district="BAX",
            settlement="Usmat",
            address="Usmat shaharchasi, Mustaqillik koʻchasi, 2",
            phone="+998 72 000 01 00",
        ),
        OrganizationData(
            "eu-undp",
            OrganizationKind.FUNDER_PROJECT,
            "UZ",
            Names(
                "EU/UNDP: Improving public service delivery and governance in rural areas of Uzbekistan",
                "ЕС/ПРООН: Улучшение предоставления государственных услуг и управления в сельских районах Узбекистана",
                "YeI/BMTTD: Oʻzbekiston qishloq hududlarida davlat xizmatlari koʻrsatish va boshqaruvni takomillashtirish",
                "ЕИ/БМТТД: Ўзбекистон қишлоқ ҳудудларида давлат хизматлари кўрсатиш ва бошқарувни такомиллаштириш",
                "ЕБ/БУУӨП: Өзбекстандын айыл аймактарында мамлекеттик кызмат көрсөтүүнү жана башкарууну жакшыртуу",
            ),
            aliases="EU\nUNDP\nЕС\nПРООН\nBMTTD",
        ),
    ]
    return organizations


def _kyrgyzstan_organizations() -> list[OrganizationData]:
    return [
        OrganizationData(
            "ynguuluu-shart",
            OrganizationKind.MUNICIPAL_ENTERPRISE,
            "KG",
            Names(
                'Municipal enterprise "Ynguuluu Shart"',
                "Муниципальное предприятие «Ынгайлуу шарт»",
                "«Yngayluu shart» munitsipal korxonasi",
                "«Ингайлуу шарт» муниципал корхонаси",
                "«Ыңгайлуу шарт» муниципалдык ишканасы",
            ),
            region="JA",
            district="TOK",
            settlement="Toktogul",
            address="Токтогул шаары, Токтогул көчөсү, 1",
            phone="+996 3532 0 01 01",
            aliases="Ынгайлуу шарт\nYngailuu shart\nComfortable conditions",
        ),
        OrganizationData(
            "toktogul-mayor",
            OrganizationKind.TOWN_GOVERNMENT,
            "KG",
            Names(
                "Toktogul town mayor's office",
                "Мэрия города Токтогул",
                "Toktogul shahri meriyasi",
                "Токтогул шаҳри мэрияси",
                "Токтогул шаарынын мэриясы",
            ),
            region="JA",
            district="TOK",
            settlement="Toktogul",
            address="Токтогул шаары, Токтогул көчөсү, 2",
            phone="+996 3532 0 01 00",
            aliases="Toktogul town government\nМэрия Токтогула",
        ),
        OrganizationData(
            "tepke-ao",
            OrganizationKind.AIYL_OKMOTU,
            "KG",
            Names(
                "Tepke aiyl okmotu",
                "Айыл окмоту Тепке",
                "Tepke ayil okmotu",
                "Тепке айил окмоту",
                "Тепке айыл өкмөтү",
            ),
            region="IK",
            district="AKS",
            settlement="Tepke",
            address="Тепке айылы",
            phone="+996 3945 0 01 01",
            aliases="Tepke AO\nТепкинский айыл окмоту",
        ),
        OrganizationData(
            "kyzyl-suu-ao",
            OrganizationKind.AIYL_OKMOTU,
            "KG",
            Names(
                "Kyzyl-Suu aiyl okmotu",
                "Айыл окмоту Кызыл-Суу",
                "Qizilsuv ayil okmotu",
                "Қизилсув айил окмоту",
                "Кызыл-Суу айыл өкмөтү",
            ),
            region="IK",
            district="JOG",
            settlement="Kyzyl-Suu",
            address="Кызыл-Суу айылы",
            phone="+996 3946 0 01 01",
            aliases="Kyzyl-Suu AO\nКызыл-Суйский айыл окмоту",
        ),
        OrganizationData(
            "sdc-helvetas",
            OrganizationKind.FUNDER_PROJECT,
            "KG",
            Names(
                "SDC/Helvetas: Improving Local Level Services",
                "SDC/Helvetas: Улучшение услуг на местном уровне",
                "SDC/Helvetas: Mahalliy darajadagi xizmatlarni takomillashtirish",
                "SDC/Helvetas: Маҳаллий даражадаги хизматларни такомиллаштириш",
                "SDC/Helvetas: Жергиликтүү деңгээлдеги кызмат көрсөтүүлөрдү жакшыртуу",
            ),
            aliases="ILLS\nHelvetas\nХельветас\nSDC\nШУРС",
        ),
    ]


ORGANIZATIONS = [*_uzbekistan_organizations(), *_kyrgyzstan_organizations()]

_CENTER_CODES = [center[2] for center in _CENTERS]
CENTER_CODES = _CENTER_CODES  # the five pilot centres, public for other apps' demo data (inventory)
_BRANCH_CODES = {region: f"dxa-{branch[0]}" for region, branch in _BRANCHES.items()}

OVERSIGHT = [
    ("toktogul-mayor", "ynguuluu-shart", OversightKind.OWNER),
    *((_BRANCH_CODES[center[0]], center[2], OversightKind.BRANCH) for center in _CENTERS),
    *(("dxa", branch, OversightKind.BRANCH) for branch in _BRANCH_CODES.values()),
    *(("eu-undp", code, OversightKind.FUNDING) for code in _CENTER_CODES),
    *(
        ("sdc-helvetas", code, OversightKind.FUNDING)
        for code in ("ynguuluu-shart", "tepke-ao", "kyzyl-suu-ao", "toktogul-mayor")
    ),
]

ROLES = list(Role)

# People: (female, male) first names, surnames (male form; the female form adds "a") and fathers' names
# (patronymic: + "ovich" / "ovna"). Uzbek users are written in Latin, Kyrgyz users in Cyrillic.
_PEOPLE = {
    "UZ": {
        "first": (
            ["Dilnoza", "Gulnora", "Malika", "Nodira", "Shahnoza", "Zulfiya", "Feruza", "Mohira", "Sevara"],
            ["Jasur", "Bekzod", "Sardor", "Otabek", "Aziz", "Ulugʻbek", "Sanjar", "Javlon", "Doniyor"],
        ),
        "last": [
            "Karimov",
            "Yusupov",
            "Rahimov",
            "Tursunov",
            "Nazarov",
            "Ergashev",
            "Saidov",
            "Qodirov",
            "Mirzayev",
            "Xolmatov",
        ],
        "father": [
            "Rustam",
            "Bahodir",
            "Sherzod",
            "Akmal",
            "Anvar",
            "Farrux",
            "Jamshid",
            "Olim",
            "Shavkat",
            "Ilhom",
        ],
        "female_surname": "a",
        "patronymic": ("ovna", "ovich"),
    },
    "KG": {
        "first": (
            ["Айгүл", "Жылдыз", "Нургүл", "Гүлнара", "Айпери", "Чолпон", "Бермет", "Асел", "Мээрим"],
            ["Азамат", "Нурбек", "Эрлан", "Улан", "Тилек", "Данияр", "Кубанычбек", "Эмил", "Бекжан"],
        ),
        "last": [
            "Токтосунов",
            "Абдыкадыров",
            "Жумабаев",
            "Осмонов",
            "Сыдыков",
            "Мамытов",
            "Исаков",
            "Турдубаев",
            "Эсенгулов",
            "Асанбеков",
        ],
        "father": [
            "Бакыт",
            "Асан",
            "Нурлан",
            "Талант",
            "Эрмек",
            "Жумабек",
            "Мирлан",
            "Кубан",
            "Замир",
            "Марат",
        ],
        "female_surname": "а",  # Cyrillic а
        "patronymic": ("овна", "ович"),
    },
}


def _person(country: str, index: int) -> dict[str, str]:
    """The ``index``-th demo person of a country: alternately a woman and a man, no randomness."""
    people = _PEOPLE[country]
    male = index % 2
    first = people["first"][male][(index // 2) % len(people["first"][male])]
    last = people["last"][(index * 3) % len(people["last"])] + ("" if male else people["female_surname"])
    patronymic = people["father"][(index * 7) % len(people["father"])] + people["patronymic"][male]
    return {"first_name": first, "last_name": last, "patronymic": patronymic}


def _language(country: str, role: str) -> str:
    if role == Role.MONITOR:
        return "ru"
    if country == "KG":
        return "ky"
    return "uz-cyrl" if role == Role.AUDITOR else "uz"


def _differs(obj: models.Model, field: str, value) -> bool:
    if isinstance(value, models.Model) or (value is None and hasattr(obj, f"{field}_id")):
        return getattr(obj, f"{field}_id") != getattr(value, "pk", None)  # compare keys, not fetched rows
    return getattr(obj, field) != value


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, bool]:
    """``update_or_create`` that saves only when something changed, so a re-run adds no audit-trail rows.

    Uses ``save()`` (never a bulk write) because the models compute ``search_key`` there.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
        for field, value in values.items():
            setattr(obj, field, value)
        obj.save()
        return obj, True

    changed = [field for field, value in values.items() if _differs(obj, field, value)]
    if changed:
        for field, value in values.items():
            setattr(obj, field, value)
        obj.save()
    return obj, False


def _coverage(organization: Organization) -> dict:
    """Monitors of a regional branch watch its region; of the agency or a funder, its country; others, what their
    organization oversees."""
    if organization.kind == OrganizationKind.AGENCY and organization.region_id:
        return {"coverage_region": organization.region, "coverage_country": None}
    if organization.kind in (OrganizationKind.AGENCY, OrganizationKind.FUNDER_PROJECT):
        return {"coverage_region": None, "coverage_country": organization.country}
    return {"coverage_region": None, "coverage_country": None}


@register
def build_foundation(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    """Create or update the pilot sites: regions, districts, settlements, organizations, oversight links, one
    user per role per organization (``<code>.<role>``) and the platform administrator ``admin``.

    Safe to re-run: every row is looked up by its natural key and saved only when its data changed. The demo
    password is set again on every run.
    """
    countries = {country.code: country for country in Country.objects.filter(code__in=["UZ", "KG"])}
    missing = {"UZ", "KG"} - countries.keys()
    if missing:
        raise RuntimeError(
            f"Countries {', '.join(sorted(missing))} are missing: run `khizmat migrate` first."
        )

    regions: dict[str, Region] = {}
    for data in REGIONS:
        regions[data.code], _ = _upsert(
            Region,
            {"country": countries[data.country], "code": data.code},
            {**data.names.fields(), "aliases": data.aliases},
        )

    districts: dict[str, District] = {}
    for data in DISTRICTS:
        districts[data.code], _ = _upsert(
            District,
            {"region": regions[data.region], "code": data.code},
            {**data.names.fields(), "kind": data.kind, "aliases": data.aliases},
        )

    settlements: dict[tuple[str, str], Settlement] = {}
    for data in SETTLEMENTS:
        settlements[data.district, data.names.en], _ = _upsert(
            Settlement,
            {"district": districts[data.district], "name_en": data.names.en},
            {
                **data.names.fields(),
                "kind": data.kind,
                "latitude": data.latitude,
                "longitude": data.longitude,
                "aliases": data.aliases,
            },
        )

    organizations: dict[str, Organization] = {}
    for data in ORGANIZATIONS:
        organizations[data.code], _ = _upsert(
            Organization,
            {"code": data.code},
            {
                **data.names.fields(),
                "kind": data.kind,
                "country": countries[data.country],
                "region": regions.get(data.region),
                "district": districts.get(data.district),
                "settlement": settlements.get((data.district, data.settlement)),
                "address": data.address,
                "phone": data.phone,
                "aliases": data.aliases,
                "is_active": True,
            },
        )

    for overseer, overseen, kind in OVERSIGHT:
        _upsert(
            Oversight,
            {"overseer": organizations[overseer], "overseen": organizations[overseen]},
            {"kind": kind},
        )

    usernames = [PLATFORM_ADMIN_USERNAME]
    _upsert(
        User,
        {"username": PLATFORM_ADMIN_USERNAME},
        {
            "first_name": "Platform",
            "last_name": "Administrator",
            "is_staff": True,
            "is_superuser": True,
            "is_active": True,
        },
    )
    logins: list[DemoLogin] = []
    people_seen = {"UZ": 0, "KG": 0}
    with scopes_disabled():
        for data in ORGANIZATIONS:
            organization = organizations[data.code]
            org_usernames = []
            for role in ROLES:
                username = f"{data.code}.{role}"
                user, _ = _upsert(
                    User,
                    {"username": username},
                    {
                        **_person(data.country, people_seen[data.country]),
                        "language": _language(data.country, role),
                        "is_staff": False,
                        "is_superuser": False,
                        "is_active": True,
                    },
                )
                people_seen[data.country] += 1
                coverage = _coverage(organization) if role == Role.MONITOR else {}
                _upsert(
                    Membership,
                    {"organization": organization, "user": user},
                    {
                        "role": role,
                        "is_active": True,
                        "coverage_region": coverage.get("coverage_region"),
                        "coverage_country": coverage.get("coverage_country"),
                    },
                )
                org_usernames.append(username)
            usernames += org_usernames
            logins.append(DemoLogin(code=data.code, name=data.names.en, usernames=tuple(org_usernames)))

    # One hash for every demo login (hashing each of them with Argon2 would take a while); a plain UPDATE is
    # enough because the password takes no part in ``search_key`` or the audit trail.
    User.objects.filter(username__in=usernames).update(password=make_password(DEMO_PASSWORD))

    stdout.write(
        f"Foundation: {len(REGIONS)} regions, {len(DISTRICTS)} districts, {len(SETTLEMENTS)} settlements, "
        f"{len(ORGANIZATIONS)} organizations, {len(OVERSIGHT)} oversight links, {len(usernames)} logins."
    )
    return logins
