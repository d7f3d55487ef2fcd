"""Demo utility billing: the Toktogul municipal enterprise «Ыңгайлуу шарт» bills solid waste collection in KGS.

About 5,000 households of Toktogul town and the villages of Chech-Döbö and Üch-Terek and about 200 shops, cafés
and institutions (× scale) on the streets of their settlement; the tariffs the town council approved, raised
half-way through the year; two exemptions; two cash desks and the statement format of RSK Bank. The last twelve
months are billed: eleven runs approved, last month's run left as a draft for the manager to approve. Payments
follow how people pay: most households regularly, at a desk, by bank or at a terminal, a quarter now and then and
partly, some hardly ever; businesses and institutions mostly by bank. About 70% of what is billed is collected.
The habits start before the demo year: what each account owed (or had paid ahead) when the year began is carried
over as an opening balance, so the first months collect like the others and old debts are old. A few payments are
reversed and a few balances adjusted through the services, so those screens show something.

The billing runs go through the services. Subscribers, opening balances, payments, their ledger entries and the
cash closings of past days are written in bulk (payments and ledger entries in SQL, as the billing run writes
invoices), because posting tens of thousands of payments one by one would take minutes; receipt numbers are
gap-free per desk in time order and the number sequences are moved past them, so live accounts and receipts
continue where the demo stops. Bulk rows have no history row each (docs/architecture.md: bulk jobs are audited as
runs). Idempotent: an enterprise that already has subscribers gets nothing more. Deterministic: one seeded
generator. People, streets, houses and phones are illustrative.
"""

import calendar
import datetime
import random
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db import connection
from django.db.models import F
from django.utils import timezone

from khizmat.billing import balances, selectors, services
from khizmat.billing.choices import (
    BillingService,
    EntryKind,
    PaymentMethod,
    RunStatus,
    SubscriberKind,
    SubscriberStatus,
    TariffUnit,
)
from khizmat.billing.models import (
    Adjustment,
    BankProfile,
    BillingPeriod,
    BillingRun,
    CashClosing,
    CashDesk,
    Exemption,
    Invoice,
    LedgerEntry,
    Payment,
    Subscriber,
    SubscriberCategory,
    Tariff,
)
from khizmat.billing.money import quantize
from khizmat.core.demo import DemoLogin, register
from khizmat.core.search import search_key
from khizmat.tenancy.choices import CalendarDayKind
from khizmat.tenancy.models import Organization, Settlement, User
from khizmat.tenancy.scoping import scopes_disabled
from khizmat.tenancy.selectors import calendar_exceptions
from khizmat.tenancy.sequences import NumberSequence

ORGANIZATION_CODE = "ynguuluu-shart"
HOUSEHOLDS = 5000
BUSINESSES = 200
MONTHS = 12
SEED = "khizmat-demo-billing"
COUNCIL = "Токтогул шаардык кеңеши"
# The council's decisions: the tariffs in force when the demo year starts, and the increase half-way through it.
FIRST_DECISION = "12/4"
INCREASE_DECISION = "19/2"
HISTORY_MONTHS = 18  # how long the accounts' habits run before the demo year, for the opening balances
OPENING_REASON = "Входящее сальдо на {date:%d.%m.%Y}: перенесено из прежней программы учёта."
_NUMBER = re.compile(r"\+?\d+")
_REPEATED_DIGIT = re.compile(r"(\d)\1+")


@dataclass(frozen=True)
class CategoryData:
    code: str
    kind: str
    unit: str
    price: str  # KGS per unit and month, before the increase
    new_price: str  # from the middle of the demo year
    en: str
    ru: str
    ky: str
    uz: str
    uz_cyrl: str


CATEGORIES = [
    CategoryData(
        "private-house",
        SubscriberKind.HOUSEHOLD,
        TariffUnit.PERSON,
        "20.00",
        "24.00",
        "Private house",
        "Частный дом",
        "Жеке үй",
        "Xususiy uy",
        "Хусусий уй",
    ),
    CategoryData(
        "apartment",
        SubscriberKind.HOUSEHOLD,
        TariffUnit.PERSON,
        "16.00",
        "19.00",
        "Apartment in a block of flats",
        "Квартира в многоквартирном доме",
        "Көп кабаттуу үйдөгү батир",
        "Koʻp qavatli uydagi xonadon",
        "Кўп қаватли уйдаги хонадон",
    ),
    CategoryData(
        "shop",
        SubscriberKind.BUSINESS,
        TariffUnit.CUBIC_METRE,
        "420.00",
        "480.00",
        "Shop or market stall",
        "Магазин, торговое место на рынке",
        "Дүкөн, базардагы соода орду",
        "Doʻkon, bozordagi savdo joyi",
        "Дўкон, бозордаги савдо жойи",
    ),
    CategoryData(
        "cafe-business",
        SubscriberKind.BUSINESS,
        TariffUnit.CONTAINER,
        "350.00",
        "400.00",
        "Café or other business (per 0.75 m³ container)",
        "Кафе и прочие предприятия (за контейнер 0,75 м³)",
        "Кафе жана башка ишканалар (0,75 м³ контейнер үчүн)",
        "Kafe va boshqa korxonalar (0,75 m³ konteyner uchun)",
        "Кафе ва бошқа корхоналар (0,75 м³ контейнер учун)",
    ),
    CategoryData(
        "institution",
        SubscriberKind.INSTITUTION,
        TariffUnit.CUBIC_METRE,
        "380.00",
        "430.00",
        "Institution (school, clinic)",
        "Учреждение (школа, больница)",
        "Мекеме (мектеп, оорукана)",
        "Muassasa (maktab, shifoxona)",
        "Муассаса (мактаб, шифохона)",
    ),
]

# (en, ru, ky, uz, uz_cyrl, percent)
EXEMPTIONS = [
    (
        "WWII veterans and persons of equal status",
        "Участники ВОВ и приравненные к ним лица",
        "Улуу Ата Мекендик согуштун катышуучулары жана аларга теңештирилген адамдар",
        "Ikkinchi jahon urushi qatnashchilari va ularga tenglashtirilgan shaxslar",
        "Иккинчи жаҳон уруши қатнашчилари ва уларга тенглаштирилган шахслар",
        Decimal("100"),
    ),
    (
        "Large families",
        "Многодетные семьи",
        "Көп балалуу үй-бүлөлөр",
        "Koʻp bolali oilalar",
        "Кўп болали оилалар",
        Decimal("50"),
    ),
]

DESKS = [
    ("kassa-1", "Касса № 1 — башкы кеңсе, Токтогул көчөсү, 1"),
    ("kassa-2", "Касса № 2 — Борбордук базар"),
]
BANK_PROFILE = {
    "name": "RSK Bank",
    "method": PaymentMethod.BANK,
    "date_column": "Дата",
    "amount_column": "Сумма",
    "account_column": "Лицевой счет",
    "payer_column": "Плательщик",
    "reference_column": "Номер документа",
    "purpose_column": "Назначение",
    "date_format": BankProfile.DateFormat.DMY,
}

# Settlements of Toktogul district (English names as the foundation spells them) with their streets.
TOWN = "Toktogul"
STREETS = {
    "Toktogul": [
        "Токтогул көчөсү",
        "Жеңижок көчөсү",
        "Манас көчөсү",
        "Ленин көчөсү",
        "Барпы көчөсү",
        "Эркиндик көчөсү",
        "Кыргызстан көчөсү",
        "Ж. Баласагын көчөсү",
        "Ч. Айтматов көчөсү",
        "Сатылганов көчөсү",
        "Нарын көчөсү",
        "Курманжан Датка көчөсү",
        "Жаңы-Жол көчөсү",
        "Ала-Тоо көчөсү",
        "Кетмен-Төбө көчөсү",
        "Суусамыр көчөсү",
        "Чычкан көчөсү",
        "Достук көчөсү",
    ],
    "Chech-Dobo": [
        "Борбордук көчөсү",
        "Мектеп көчөсү",
        "Ак-Суу көчөсү",
        "Жаштык көчөсү",
        "Тынчтык көчөсү",
        "Бакча көчөсү",
    ],
    "Uch-Terek": [
        "Үч-Терек көчөсү",
        "Ынтымак көчөсү",
        "Кара-Суу көчөсү",
        "Бейшеке көчөсү",
        "Ак-Терек көчөсү",
        "Тоо-Башы көчөсү",
    ],
}
SETTLEMENT_SHARE = {"Toktogul": 0.66, "Chech-Dobo": 0.18, "Uch-Terek": 0.16}
# Blocks of flats stand on a few streets of the town.
APARTMENT_STREETS = ["Токтогул көчөсү", "Ленин көчөсү", "Жеңижок көчөсү", "Манас көчөсү"]
APARTMENT_SHARE = 0.15  # of the town's households
# Households by the census (the coverage KPI's denominator): the enterprise serves about four in five of them.
CENSUS_HOUSEHOLDS = {"Toktogul": 4400, "Chech-Dobo": 1050, "Uch-Terek": 960}
BAZAAR_STREET = "Ленин көчөсү"

FEMALE = [
    "Айгүл",
    "Жылдыз",
    "Нургүл",
    "Гүлнара",
    "Айпери",
    "Чолпон",
    "Бермет",
    "Асел",
    "Мээрим",
    "Айжан",
    "Динара",
    "Гүлзат",
    "Назгүл",
    "Бурул",
    "Салтанат",
    "Жамиля",
    "Элмира",
    "Айнура",
    "Каныкей",
    "Бактыгүл",
    "Анара",
    "Зуура",
    "Токтобүбү",
    "Саадат",
]
MALE = [
    "Азамат",
    "Нурбек",
    "Эрлан",
    "Улан",
    "Тилек",
    "Данияр",
    "Кубанычбек",
    "Эмил",
    "Бекжан",
    "Алмаз",
    "Бакыт",
    "Жыргалбек",
    "Талант",
    "Максат",
    "Мирлан",
    "Нурлан",
    "Бактыбек",
    "Жолдошбек",
    "Тынчтык",
    "Эркин",
    "Асылбек",
    "Медер",
    "Султан",
    "Темирбек",
]
SURNAMES = [
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
    "Шаршенов",
    "Өмүрбеков",
    "Бообеков",
    "Мамбетов",
    "Сатыбалдиев",
    "Кожомбердиев",
    "Токоев",
    "Жээнбеков",
    "Абдылдаев",
    "Садыков",
    "Токтогулов",
    "Байматов",
    "Эгембердиев",
    "Арстанбеков",
    "Калыков",
    "Маматов",
    "Сарыбаев",
    "Нурманбетов",
    "Усенов",
    "Борубаев",
    "Дүйшөнбеков",
    "Курманалиев",
    "Сулайманов",
]
FATHERS = [
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
    "Токтосун",
    "Абдыкадыр",
    "Осмон",
    "Сыдык",
    "Мамыт",
    "Исак",
    "Эсенгул",
    "Шаршен",
    "Өмүрбек",
    "Калык",
    "Усен",
    "Жолдош",
    "Бекмурат",
    "Таштанбек",
]
RUSSIAN = {
    "female": ["Наталья", "Ольга", "Елена", "Татьяна", "Светлана", "Людмила"],
    "male": ["Сергей", "Александр", "Владимир", "Николай", "Виктор", "Андрей"],
    "surnames": ["Иванов", "Петров", "Кузнецов", "Ким", "Пак", "Волков", "Фёдоров", "Морозов"],
    "patronymics": [
        ("Петрович", "Петровна"),
        ("Иванович", "Ивановна"),
        ("Николаевич", "Николаевна"),
        ("Викторович", "Викторовна"),
        ("Сергеевич", "Сергеевна"),
        ("Александрович", "Александровна"),
    ],
}
# Mobile operators of Kyrgyzstan (O!, Beeline, MegaCom) with numbers starting +996 7…
MOBILE_CODES = [
    "700",
    "701",
    "702",
    "703",
    "705",
    "707",
    "708",
    "709",
    "755",
    "770",
    "772",
    "773",
    "775",
    "777",
]

SHOP_NAMES = [
    "Береке",
    "Ак-Жол",
    "Нур",
    "Ырыс",
    "Бакыт",
    "Азия",
    "Элита",
    "Самал",
    "Жибек",
    "Алтын",
    "Тулпар",
    "Ынтымак",
    "Баатыр",
    "Ак-Бата",
    "Кут",
    "Даамдуу",
]
SHOP_KINDS = ["азык-түлүк дүкөнү", "дүкөнү", "курулуш материалдары дүкөнү", "дарыканасы", "кийим дүкөнү"]
BUSINESS_KINDS = [
    "кафеси",
    "ашканасы",
    "наабайканасы",
    "мейманканасы",
    "унаа жуучу жайы",
    "автосервиси",
    "той үйү",
    "ЖЧК",
]
INSTITUTIONS = [
    "Токтогул атындагы № 1 орто мектеп",
    "Ж. Баласагын атындагы № 2 орто мектеп",
    "Токтогул райондук борбордук ооруканасы",
    "Үй-бүлөлүк медицина борбору",
    "«Балапан» бала бакчасы",
    "Токтогул райондук мамлекеттик администрациясы",
    "Токтогул шаарынын мэриясы",
    "Токтогул райондук ички иштер бөлүмү",
    "«Кыргыз почтасы» Токтогул бөлүмү",
    "Токтогул райондук маданият үйү",
    "Балдар музыка мектеби",
    "Райондук борбордук китепкана",
    "«Ак-Куу» бала бакчасы",
    "Токтогул атындагы мемориалдык музей",
    "Балдар-өспүрүмдөр спорт мектеби",
]


@dataclass
class _Plan:
    """How one account pays (kept beside the subscriber while the payments are generated)."""

    subscriber: Subscriber
    behaviour: str  # monthly, periodic, irregular, chronic, advance
    every: int  # months between payments of a periodic payer
    method: str  # the method the account mostly uses
    desk: int  # index of the desk it mostly goes to


def _add_months(month: datetime.date, count: int) -> datetime.date:
    years, index = divmod(month.month - 1 + count, 12)
    return datetime.date(month.year + years, index + 1, 1)


def _aware(day: datetime.date, hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


# Kyrgyz Cyrillic to Latin letters as banks and the Latin line of passports often write names (ж as j).
_LATIN = dict(zip("абвгдзиклмнопрстуфыэөү", "abvgdziklmnoprstufyeou", strict=True)) | {
    "ё": "yo",
    "ж": "j",
    "й": "y",
    "ң": "ng",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ь": "",
    "ю": "yu",
    "я": "ya",
}


def _latin(text: str) -> str:
    """Kyrgyz Cyrillic in Latin letters, as names are often typed by banks and in passports' Latin line."""
    result = []
    previous = ""
    for char in text:
        lower = char.lower()
        if lower == "е":
            latin = "ye" if (not previous or previous in "аеёиоөуүыэюяъь") else "e"
        else:
            latin = _LATIN.get(lower, char)
        if char != lower and latin:
            latin = latin[0].upper() + latin[1:]
        result.append(latin)
        previous = lower if lower.isalpha() else ""
    return "".join(result)


class _Calendar:
    """Working days of Kyrgyzstan over the demo's dates: desks and banks take payments on working days only."""

    def __init__(self, country, start: datetime.date, end: datetime.date):
        self.exceptions = calendar_exceptions(country=country, start=start, end=end)
        self.weekend = country.weekend

    def working(self, day: datetime.date) -> bool:
        kind = self.exceptions.get(day)
        if kind == CalendarDayKind.WORKING_DAY:
            return True
        if kind in (CalendarDayKind.HOLIDAY, CalendarDayKind.DAY_OFF):
            return False
        return day.weekday() not in self.weekend

    def next_working(self, day: datetime.date) -> datetime.date:
        while not self.working(day):
            day += datetime.timedelta(days=1)
        return day


class _People:
    """Holders' names, ID numbers and phones."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> tuple[str, str, str, str]:
        """(holder name, Cyrillic surname, language, ID number) of a household's holder."""
        rng = self.rng
        female = rng.random() < 0.45
        if rng.random() < 0.06:  # Russian-speaking families
            first = rng.choice(RUSSIAN["female" if female else "male"])
            surname = rng.choice(RUSSIAN["surnames"])
            if female and surname.endswith(("ов", "ев", "ин")):
                surname += "а"
            patronymic = rng.choice(RUSSIAN["patronymics"])[1 if female else 0]
            return f"{surname} {first} {patronymic}", surname, "ru", self.pin(female)
        first = rng.choice(FEMALE if female else MALE)
        surname = rng.choice(SURNAMES) + ("а" if female else "")
        father = rng.choice(FATHERS)
        language = "ru" if rng.random() < 0.1 else "ky"
        style = rng.random()
        if style < 0.12:  # the Kyrgyz form with the father's name: «Асан уулу Нурбек»
            name = f"{father} {'кызы' if female else 'уулу'} {first}"
        elif style < 0.24:  # written in Latin letters, as a bank or a passport's Latin line has it
            name = f"{_latin(surname)} {_latin(first)}"
        else:
            name = f"{surname} {first} {father}{'овна' if female else 'ович'}"
        return name, surname, language, self.pin(female)

    def pin(self, female: bool) -> str:
        """A Kyrgyz personal number: sex (1 female, 2 male), birth date DDMMYYYY, a five-digit serial; half have one."""
        rng = self.rng
        if rng.random() < 0.5:
            return ""
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randint(0, 60 * 365))
        return f"{1 if female else 2}{born:%d%m%Y}{rng.randint(0, 99999):05d}"

    def phone(self, share: float = 0.85) -> str:
        if self.rng.random() >= share:
            return ""
        return f"+996{self.rng.choice(MOBILE_CODES)}{self.rng.randint(0, 999999):06d}"

    def initials(self) -> str:
        rng = self.rng
        female = rng.random() < 0.45
        surname = rng.choice(SURNAMES) + ("а" if female else "")
        return f"{surname} {rng.choice(FEMALE if female else MALE)[0]}. {rng.choice(FATHERS)[0]}."


class _Streets:
    """House numbers along each street, and flats in the town's blocks."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.houses: dict[tuple[str, str], int] = {}
        self.blocks: dict[str, tuple[int, int, int]] = {}  # street: (block number, flats, flats taken)

    def house(self, settlement: str, street: str) -> str:
        number = self.houses.get((settlement, street), 0) + self.rng.choice((1, 1, 2))
        self.houses[settlement, street] = number
        return f"{number}{'а' if self.rng.random() < 0.05 else ''}"

    def flat(self, street: str) -> tuple[str, str]:
        block, flats, taken = self.blocks.get(street, (-1, 0, 0))
        if taken >= flats:
            block, flats, taken = block + 2, self.rng.choice((24, 32, 40, 48, 60)), 0
        taken += self.rng.choice((1, 1, 1, 2))  # a flat or two is empty
        self.blocks[street] = (block, flats, taken)
        return str(block), str(min(taken, flats))


class _SearchKeys:
    """The keys ``Subscriber.refresh_search_key`` writes, for thousands of accounts in well under a second.

    Folding a text costs about 25 µs a character (alifbo): calling ``refresh_search_key`` on every account would
    take some three seconds per thousand. Here each distinct word is folded once and a text's key is its words'
    keys (the search key folds word by word); numbers, phones and ID numbers, all different, only lose a leading
    "+" and repeated digits, as the search key does. A sample is checked against ``refresh_search_key``; if any
    key differs, every account is keyed by ``refresh_search_key`` itself.
    """

    def __init__(self):
        self.words: dict[str, str] = {}

    def word(self, word: str) -> str:
        if _NUMBER.fullmatch(word):
            return _REPEATED_DIGIT.sub(r"\1", word.lstrip("+"))
        if word not in self.words:
            self.words[word] = search_key(word)
        return self.words[word]

    def text(self, text: str) -> str:
        return " ".join(key for key in (self.word(word) for word in (text or "").split()) if key)

    def of(self, subscriber: Subscriber) -> str:
        keys: list[str] = []
        for text in (
            subscriber.number,
            subscriber.holder_name,
            subscriber.street,
            subscriber.holder_id_number,
            subscriber.phone,
        ):
            key = self.text(text)
            if key and key not in keys:
                keys.append(key)
        return "|" + "|".join(keys) + "|" if keys else ""

    def check(self, subscribers: list[Subscriber], rng: random.Random) -> None:
        sample = rng.sample(subscribers, min(30, len(subscribers)))
        differs = False
        for subscriber in sample:
            fast = subscriber.search_key
            subscriber.refresh_search_key()
            differs = differs or subscriber.search_key != fast
        if differs:
            for subscriber in subscribers:
                subscriber.refresh_search_key()


@register
def build_billing(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    """Categories, tariffs, exemptions, desks and a bank format for the enterprise; once: its accounts and a year
    of billing and payments."""
    with scopes_disabled():
        organization = Organization.objects.select_related("country").filter(code=ORGANIZATION_CODE).first()
        if organization is None:
            return []
        manager = User.objects.get(username=f"{ORGANIZATION_CODE}.manager")
        cashier = User.objects.get(username=f"{ORGANIZATION_CODE}.cashier")
        today = timezone.localdate()
        months = [_add_months(today.replace(day=1), -MONTHS + i) for i in range(MONTHS)]

        categories = _categories(organization, manager)
        _tariffs(organization, manager, categories, months)
        exemptions = _exemptions(organization, manager)
        desks = _desks(organization, manager)
        _bank_profile(organization, manager)

        existing = Subscriber.objects.filter(organization=organization).count()
        if existing or scale <= 0:
            stdout.write(f"Billing {ORGANIZATION_CODE}: {existing} subscribers already (none added).")
            return []

        rng = random.Random(SEED)
        plans = _subscribers(organization, rng, scale, categories, exemptions, months)
        runs = _bill(organization, manager, months)
        country_calendar = _Calendar(
            organization.country,
            months[0],
            today + datetime.timedelta(days=31),
        )
        payments, openings = _payments(
            organization, manager, cashier, rng, plans, runs, months, desks, country_calendar, today
        )
        reversed_count = _reversals(organization, manager, rng, today)
        adjustments = _adjustments(organization, manager, rng, plans, categories)
        closings = _closings(organization, cashier, rng, payments, desks, today)

        rows = selectors.collection_by_period(organization=organization, limit=MONTHS)
        billed = sum((row["billed"] for row in rows if row["billed"] > 0), Decimal("0"))
        paid = sum((row["paid"] for row in rows if row["billed"] > 0), Decimal("0"))
        rate = f"{paid * 100 / billed:.1f}%" if billed else "—"
        kinds = [plan.subscriber.kind for plan in plans]
        stdout.write(
            f"Billing {ORGANIZATION_CODE}: {kinds.count(SubscriberKind.HOUSEHOLD)} households, "
            f"{len(kinds) - kinds.count(SubscriberKind.HOUSEHOLD)} businesses and institutions, "
            f"{len(runs)} months billed ({len(runs) - 1} approved, 1 draft), {len(payments)} payments "
            f"({reversed_count} reversed), {openings} opening balances, {adjustments} adjustments, "
            f"{closings} cash closings; "
            f"collection {rate}."
        )
    return []


# --- Reference data: categories, tariffs, exemptions, desks, bank format ------------------------------------------


def _categories(organization: Organization, manager: User) -> dict[str, SubscriberCategory]:
    result = {}
    for data in CATEGORIES:
        category = SubscriberCategory.objects.filter(organization=organization, code=data.code).first()
        if category is None:
            category = SubscriberCategory(organization=organization, code=data.code, kind=data.kind)
            category.name = data.en
            category.name_en, category.name_ru, category.name_ky = data.en, data.ru, data.ky
            category.name_uz, category.name_uz_cyrl = data.uz, data.uz_cyrl
            category._history_user = manager
            category.save()
        result[data.code] = category
    return result


def _tariffs(organization, manager, categories, months) -> None:
    """The tariffs in force since January of the first demo month's year, and the increase from the seventh month."""
    first = months[0].replace(month=1)
    increase = months[MONTHS // 2]
    first_decided = _add_months(first, -1).replace(day=20)
    increase_decided = _add_months(increase, -2).replace(day=26)
    for data in CATEGORIES:
        category = categories[data.code]
        if Tariff.objects.filter(organization=organization, category=category).exists():
            continue
        for effective_from, price, number, decided in (
            (first, data.price, FIRST_DECISION, first_decided),
            (increase, data.new_price, INCREASE_DECISION, increase_decided),
        ):
            services.tariff_save(
                actor=manager,
                tariff=Tariff(
                    organization=organization,
                    category=category,
                    service=BillingService.WASTE_COLLECTION,
                    unit=data.unit,
                    price=Decimal(price),
                    currency=organization.currency,
                    effective_from=effective_from,
                    decision_number=number,
                    decision_date=decided,
                    council=COUNCIL,
                ),
            )


def _exemptions(organization, manager) -> list[Exemption]:
    decision = (
        Tariff.objects.filter(organization=organization, decision_number=FIRST_DECISION)
        .values_list("decision_date", flat=True)
        .first()
    )
    basis = f"{COUNCIL}нин {decision:%d.%m.%Y} № {FIRST_DECISION} токтому" if decision else ""
    result = []
    for en, ru, ky, uz, uz_cyrl, percent in EXEMPTIONS:
        exemption = Exemption.objects.filter(organization=organization, name_ru=ru).first()
        if exemption is None:
            exemption = Exemption(organization=organization, percent=percent, basis=basis)
            exemption.name = en
            exemption.name_en, exemption.name_ru, exemption.name_ky = en, ru, ky
            exemption.name_uz, exemption.name_uz_cyrl = uz, uz_cyrl
            exemption._history_user = manager
            exemption.save()
        result.append(exemption)
    return result


def _desks(organization, manager) -> list[CashDesk]:
    result = []
    for code, name in DESKS:
        desk = CashDesk.objects.filter(organization=organization, code=code).first()
        if desk is None:
            desk = CashDesk(organization=organization, code=code, name=name)
            desk._history_user = manager
            desk.save()
        result.append(desk)
    return result


def _bank_profile(organization, manager) -> None:
    if not BankProfile.objects.filter(organization=organization, name=BANK_PROFILE["name"]).exists():
        profile = BankProfile(organization=organization, **BANK_PROFILE)
        profile._history_user = manager
        profile.save()


# --- Subscribers ------------------------------------------------------------------------------------------------


def _subscribers(organization, rng, scale, categories, exemptions, months) -> list[_Plan]:
    settlements = {
        s.name_en: s
        for s in Settlement.objects.filter(district__code="TOK", district__region__country__code="KG")
    }
    places = [name for name in STREETS if name in settlements]
    if TOWN not in places:
        raise RuntimeError("The demo settlements of Toktogul district are missing: run the foundation first.")
    for place in places:
        Settlement.objects.filter(pk=settlements[place].pk, households__isnull=True).update(
            households=round(CENSUS_HOUSEHOLDS[place] * scale)
        )
    people, streets = _People(rng), _Streets(rng)
    veterans, large_families = exemptions
    before = months[0] - datetime.timedelta(days=1)

    def contract_start() -> datetime.date:
        return datetime.date(2014, 1, 1) + datetime.timedelta(
            days=rng.randint(0, (before - datetime.date(2014, 1, 1)).days)
        )

    plans: list[_Plan] = []
    for _ in range(max(20, round(HOUSEHOLDS * scale))):
        place = rng.choices(places, [SETTLEMENT_SHARE[p] for p in places])[0]
        flat = place == TOWN and rng.random() < APARTMENT_SHARE
        name, _surname, language, pin = people.person()
        if flat:
            street = rng.choice(APARTMENT_STREETS)
            house, apartment = streets.flat(street)
            residents = rng.choices(range(1, 7), [12, 22, 24, 22, 13, 7])[0]
        else:
            street = rng.choice(STREETS[place])
            house, apartment = streets.house(place, street), ""
            residents = rng.choices(range(1, 10), [4, 9, 12, 17, 20, 16, 11, 6, 5])[0]
        exemption = None
        if rng.random() < 0.003:
            exemption = veterans
        elif residents >= 6 and rng.random() < 0.25:
            exemption = large_families
        subscriber = Subscriber(
            organization=organization,
            kind=SubscriberKind.HOUSEHOLD,
            holder_name=name,
            holder_id_number=pin,
            phone=people.phone(),
            language=language,
            settlement=settlements[place],
            street=street,
            house=house,
            apartment=apartment,
            category=categories["apartment" if flat else "private-house"],
            residents=residents,
            exemption=exemption,
            contract_start=contract_start(),
        )
        behaviour = rng.choices(
            ["monthly", "periodic", "irregular", "chronic", "advance"], [33, 22, 25, 15, 5]
        )[0]
        method = rng.choices([PaymentMethod.CASH, PaymentMethod.BANK, PaymentMethod.TERMINAL], [65, 17, 18])[
            0
        ]
        desk = 0 if rng.random() < (0.7 if place == TOWN else 0.35) else 1
        plans.append(_Plan(subscriber, behaviour, rng.choice((2, 3)), method, desk))

    businesses = max(6, round(BUSINESSES * scale))
    institutions = max(1, round(businesses * 0.15))
    cafes = max(2, round(businesses * 0.35))
    for index in range(businesses):
        place = TOWN if rng.random() < 0.85 else rng.choice(places)
        if index < institutions:
            code, kind = "institution", SubscriberKind.INSTITUTION
            if index < len(INSTITUTIONS):
                place, name = TOWN, INSTITUTIONS[index]
            else:  # the other schools and kindergartens of the town and the villages
                number = (index - len(INSTITUTIONS)) // 2 + 3
                name = f"№ {number} {'орто мектеп' if index % 2 else 'бала бакчасы'}"
            street = rng.choice(STREETS[place])
            units = Decimal(rng.randint(2, 12)) if "оорукана" not in name else Decimal(rng.randint(15, 25))
            behaviour = rng.choices(["periodic", "monthly", "irregular"], [60, 30, 10])[0]
            method, pin, language = PaymentMethod.BANK, "", "ky"
        elif index < institutions + cafes:
            code, kind = "cafe-business", SubscriberKind.BUSINESS
            street = rng.choice(STREETS[place])
            name = f"«{rng.choice(SHOP_NAMES)}» {rng.choice(BUSINESS_KINDS)}"
            if rng.random() < 0.3:
                name += f", ЖИ {people.initials()}"
            units = Decimal(rng.choice((2, 4, 4, 6, 8, 8, 10, 12, 16)))
            behaviour = rng.choices(
                ["monthly", "periodic", "irregular", "chronic", "advance"], [40, 20, 25, 10, 5]
            )[0]
            method = PaymentMethod.BANK if rng.random() < 0.8 else PaymentMethod.CASH
            pin, language = "", "ky" if rng.random() < 0.7 else "ru"
        else:
            code, kind = "shop", SubscriberKind.BUSINESS
            street = rng.choice(STREETS[place])
            if rng.random() < 0.4:  # a stall at the central bazaar
                place, street = TOWN, BAZAAR_STREET
                name = f"ЖИ {people.initials()} (Борбордук базар, {rng.randint(1, 240)}-орун)"
                units = Decimal(rng.choice(("0.2", "0.3", "0.3", "0.4", "0.5")))
            else:
                name = f"«{rng.choice(SHOP_NAMES)}» {rng.choice(SHOP_KINDS)}"
                units = Decimal(rng.choice(("0.5", "0.8", "1.0", "1.0", "1.5", "2.0", "3.0")))
            behaviour = rng.choices(
                ["monthly", "periodic", "irregular", "chronic", "advance"], [40, 20, 25, 10, 5]
            )[0]
            method = PaymentMethod.BANK if rng.random() < 0.7 else PaymentMethod.CASH
            pin, language = people.pin(rng.random() < 0.5), "ky" if rng.random() < 0.7 else "ru"
        subscriber = Subscriber(
            organization=organization,
            kind=kind,
            holder_name=name,
            holder_id_number=pin,
            phone=people.phone(0.95),
            language=language,
            settlement=settlements[place],
            street=street,
            house=streets.house(place, street),
            category=categories[code],
            residents=0,
            units=units,
            contract_start=contract_start(),
        )
        plans.append(_Plan(subscriber, behaviour, rng.choice((2, 3)), method, 0))

    # A few accounts open or close during the year (their first or last month is prorated), a few are suspended.
    count = len(plans)
    special = rng.sample(range(count), max(5, round(count * 0.025)))
    starting, closing, suspended = special[0::3], special[1::3], special[2::3][: max(1, count // 200)]
    for index in starting:
        month = months[rng.randint(1, MONTHS - 2)]
        plans[index].subscriber.contract_start = month.replace(day=rng.randint(2, 27))
        if plans[index].behaviour == "advance":
            plans[index].behaviour = "monthly"
    for index in closing:
        subscriber = plans[index].subscriber
        subscriber.contract_end = months[rng.randint(2, MONTHS - 2)].replace(day=rng.randint(3, 27))
        subscriber.status = SubscriberStatus.CLOSED
        if plans[index].behaviour == "advance":
            plans[index].behaviour = "monthly"
    for index in suspended:
        plans[index].subscriber.status = SubscriberStatus.SUSPENDED

    # Numbered as the enterprise registered them: the old list street by street, then the newcomers.
    plans.sort(
        key=lambda p: (
            p.subscriber.contract_start >= months[0],
            p.subscriber.contract_start if p.subscriber.contract_start >= months[0] else datetime.date.min,
            p.subscriber.kind != SubscriberKind.HOUSEHOLD,
            p.subscriber.settlement.name_en != TOWN,
            p.subscriber.settlement.name_en,
            p.subscriber.street,
            _house_order(p.subscriber.house),
            _house_order(p.subscriber.apartment),
        )
    )
    first = _reserve_numbers(organization, "subscriber", len(plans))
    keys = _SearchKeys()
    for offset, plan in enumerate(plans):
        plan.subscriber.number = f"{first + offset:07d}"
        plan.subscriber.search_key = keys.of(plan.subscriber)
    keys.check([plan.subscriber for plan in plans], rng)
    # A bulk job keeps no history row per account (docs/architecture.md): the billing runs are the audited record.
    created = Subscriber.objects.bulk_create([plan.subscriber for plan in plans], batch_size=1000)
    for plan, subscriber in zip(plans, created, strict=True):
        plan.subscriber = subscriber
    return plans


def _house_order(text: str) -> tuple[int, str]:
    digits = "".join(ch for ch in text if ch.isdigit())
    return (int(digits) if digits else 0, text)


def _reserve_numbers(organization, key: str, count: int) -> int:
    """Take ``count`` consecutive numbers of the sequence ``key`` at once; returns the first of them."""
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        organization=organization, key=key
    )
    NumberSequence.objects.filter(pk=sequence.pk, organization=organization).update(
        last_value=F("last_value") + count
    )
    return sequence.last_value + 1


# --- Billing ----------------------------------------------------------------------------------------------------


def _bill(organization, manager, months) -> list[BillingRun]:
    """Run every month through the services; approve all but the last, which waits for the manager."""
    runs = []
    now = timezone.now()
    for index, month in enumerate(months):
        period = services.period_get_or_open(organization=organization, month=month)
        run = services.billing_run_start(actor=manager, period=period)
        # The demo runs in one transaction: the task enqueued at commit will find the run finished and stop.
        run = services.billing_run_execute(run_id=run.pk)
        if run.status != RunStatus.DRAFT:
            raise RuntimeError(f"Demo billing of {month:%Y-%m} ended as {run.status}: {run.error}")
        last = index == len(months) - 1
        if not last:
            run = services.billing_run_approve(actor=manager, run=run)
        # Dates as the enterprise would have them: run on the first days of the next month, approved a day later.
        requested = min(_aware(_add_months(month, 1) + datetime.timedelta(days=1), 9, 10 + index), now)
        finished = min(requested + datetime.timedelta(seconds=40), now)
        BillingRun.objects.filter(pk=run.pk, organization=organization).update(
            requested_at=requested,
            started_at=requested,
            finished_at=finished,
            approved_at=None if last else requested + datetime.timedelta(days=1, hours=2),
        )
        if not last:
            BillingPeriod.objects.filter(pk=period.pk, organization=organization).update(
                closed_at=requested + datetime.timedelta(days=1, hours=2)
            )
        runs.append(run)
    return runs


# --- Payments ---------------------------------------------------------------------------------------------------


@dataclass
class _Paid:
    day: datetime.date
    method: str
    amount: Decimal
    plan: _Plan
    desk: int
    receipt: int | None = None


def _payments(
    organization, manager, cashier, rng, plans, runs, months, desks, days, today
) -> tuple[list[_Paid], int]:
    """A year of payments from each account's habits and its actual invoices, with their ledger entries.

    Written with one ``executemany`` and one INSERT…SELECT (as the billing run writes invoices): ``bulk_create``
    prepares every value through the ORM, which takes over fifteen seconds for a year of Toktogul on SQLite.
    """
    period_index = {run.period_id: index for index, run in enumerate(runs)}
    bills: dict[int, list[Decimal]] = {}
    for subscriber_id, period_id, amount in Invoice.objects.filter(
        organization=organization, run__in=runs
    ).values_list("subscriber_id", "period_id", "amount"):
        bills.setdefault(subscriber_id, [Decimal("0")] * len(runs))[period_index[period_id]] += amount
    paid: list[_Paid] = []
    openings: list[tuple[Subscriber, Decimal]] = []
    for plan in plans:
        account_bills = bills.get(plan.subscriber.pk)
        if account_bills:
            account_paid, opening = _account_payments(rng, plan, account_bills, months, days, today)
            paid.extend(account_paid)
            if abs(opening) >= 1:
                openings.append((plan.subscriber, quantize(opening)))
    _opening_balances(organization, manager, openings, months[0])

    hours = {PaymentMethod.CASH: (8, 17), PaymentMethod.BANK: (10, 16), PaymentMethod.TERMINAL: (7, 21)}
    midnights: dict[datetime.date, datetime.datetime] = {}
    moments = []
    for item in paid:
        first_hour, last_hour = hours[item.method]
        if item.day not in midnights:
            midnights[item.day] = _aware(item.day, 0, 0)
        seconds = rng.randint(first_hour * 3600, last_hour * 3600 + 3599)
        moments.append(midnights[item.day] + datetime.timedelta(seconds=seconds))
    order = sorted(range(len(paid)), key=lambda i: (moments[i], i))

    ops = connection.ops
    receipts = [0] * len(desks)
    rows = []
    for serial, index in enumerate(order, start=1):
        item, moment = paid[index], moments[index]
        subscriber = item.plan.subscriber
        desk_id = cashier_id = None
        reference = payer = ""
        if item.method == PaymentMethod.CASH:
            receipts[item.desk] += 1
            item.receipt = receipts[item.desk]
            desk_id, cashier_id = desks[item.desk].pk, cashier.pk
            payer = subscriber.holder_name
        elif item.method == PaymentMethod.BANK:
            reference = f"{rng.randint(10000, 999999)}"
            payer = subscriber.holder_name
        else:
            reference = f"TRM{moment:%y%m%d}{rng.randint(0, 99999999):08d}"
        rows.append(
            (
                organization.pk,
                subscriber.pk,
                ops.adapt_decimalfield_value(item.amount),
                organization.currency,
                item.method,
                desk_id,
                item.receipt,
                ops.adapt_datetimefield_value(moment),
                ops.adapt_datefield_value(item.day),
                cashier_id,
                payer[:255],
                reference,
                f"demo:{serial}",
                "",
            )
        )
    _insert(
        Payment,
        [
            "organization",
            "subscriber",
            "amount",
            "currency",
            "method",
            "desk",
            "receipt_number",
            "received_at",
            "received_on",
            "cashier",
            "payer_name",
            "reference",
            "idempotency_key",
            "reversal_reason",
        ],
        rows,
    )
    quote = ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {quote(LedgerEntry._meta.db_table)}
                   (organization_id, subscriber_id, kind, amount, currency, entry_date, payment_id)
            SELECT organization_id, subscriber_id, %s, -amount, currency, received_on, id
            FROM {quote(Payment._meta.db_table)}
            WHERE organization_id = %s AND idempotency_key LIKE %s
            """,
            [EntryKind.PAYMENT.value, organization.pk, "demo:%"],
        )
    balances.record(
        organization_id=organization.pk,
        condition=f"""l.kind = '{EntryKind.PAYMENT.value}' AND l.payment_id IN (
            SELECT id FROM {quote(Payment._meta.db_table)}
            WHERE organization_id = %(organization)s AND idempotency_key LIKE %(demo)s)""",
        params={"demo": "demo:%"},
    )
    for desk, last in zip(desks, receipts, strict=True):
        if last:
            sequence, _created = NumberSequence.objects.get_or_create(
                organization=organization, key=f"receipt:{desk.pk}"
            )
            NumberSequence.objects.filter(pk=sequence.pk, organization=organization).update(last_value=last)
    return [paid[index] for index in order], len(openings)


def _opening_balances(organization, manager, openings, first_month: datetime.date) -> None:
    """What each account owed (or had paid ahead) in the old books the day before the first demo month: one
    adjustment per account, as an enterprise enters its balances when it moves to Khizmat."""
    cutover = first_month - datetime.timedelta(days=1)
    reason = OPENING_REASON.format(date=first_month)
    ops = connection.ops
    created_at = ops.adapt_datetimefield_value(_aware(cutover, 18, 0))
    _insert(
        Adjustment,
        ["organization", "subscriber", "amount", "currency", "reason", "created_by", "created_at"],
        [
            (
                organization.pk,
                subscriber.pk,
                ops.adapt_decimalfield_value(amount),
                organization.currency,
                reason,
                manager.pk,
                created_at,
            )
            for subscriber, amount in openings
        ],
    )
    if openings:
        quote = ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {quote(LedgerEntry._meta.db_table)}
                       (organization_id, subscriber_id, kind, amount, currency, entry_date, adjustment_id)
                SELECT organization_id, subscriber_id, %s, amount, currency, %s, id
                FROM {quote(Adjustment._meta.db_table)}
                WHERE organization_id = %s AND reason = %s
                """,
                [
                    EntryKind.ADJUSTMENT.value,
                    connection.ops.adapt_datefield_value(cutover),
                    organization.pk,
                    reason,
                ],
            )
        balances.record(
            organization_id=organization.pk,
            condition=f"""l.kind = '{EntryKind.ADJUSTMENT.value}' AND l.adjustment_id IN (
                SELECT id FROM {quote(Adjustment._meta.db_table)}
                WHERE organization_id = %(organization)s AND reason = %(reason)s)""",
            params={"reason": reason},
        )


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values already adapted for the database) into ``model``'s table, in a few executemany."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _account_payments(rng, plan, bills, months, days, today) -> tuple[list[_Paid], Decimal]:
    """What one account pays by its habit, and what it owed when the enterprise started billing in Khizmat.

    ``bills[k]`` is its invoice for demo month ``k``. The habit starts up to two years before the first demo month
    (billed as that month was): payments before it only leave a balance behind, the opening balance carried over
    from the old books, so debts and advances are those of a long-standing account.
    """
    subscriber = plan.subscriber
    calendar_months = [*months, _add_months(months[-1], 1)]  # and the current month, until yesterday
    history = 0
    if subscriber.contract_start < months[0]:
        start = subscriber.contract_start
        history = min(HISTORY_MONTHS, (months[0].year - start.year) * 12 + months[0].month - start.month)
    timeline = [bills[0]] * history + list(bills)
    result: list[_Paid] = []
    paid_before = Decimal("0")
    paid_total = Decimal("0")

    def pay(k: int, first_day: int, last_day: int, due: Decimal, rounding: int = 0) -> Decimal:
        """Pay ``due`` on a day of demo month ``k`` (a working day at a desk or bank); returns the amount paid."""
        nonlocal paid_before, paid_total
        if due <= 0:
            return Decimal("0")
        if rounding:
            due = max((due / rounding).to_integral_value(rounding=ROUND_FLOOR) * rounding, min(due, rounding))
        if k < 0:  # before the demo year: only its balance remains
            amount = quantize(due)
            paid_before += amount
            paid_total += amount
            return amount
        if k > len(months):
            return Decimal("0")
        month = calendar_months[k]
        last = calendar.monthrange(month.year, month.month)[1]
        day = month.replace(day=rng.randint(min(first_day, last), min(last_day, last)))
        if day < subscriber.contract_start:
            day = subscriber.contract_start + datetime.timedelta(days=rng.randint(0, 6))
        method = plan.method
        if rng.random() < 0.15 and subscriber.kind == SubscriberKind.HOUSEHOLD:
            method = rng.choice([m for m in (PaymentMethod.CASH, PaymentMethod.BANK) if m != method])
        if method != PaymentMethod.TERMINAL:
            day = days.next_working(day)
        if day >= today:
            return Decimal("0")
        amount = due
        if method != PaymentMethod.BANK and not rounding:
            # Cash and terminals take whole soms; a third of the payers round up to ten.
            amount = due.to_integral_value(rounding=ROUND_CEILING)
            if rng.random() < 0.3:
                amount = (amount / 10).to_integral_value(rounding=ROUND_CEILING) * 10
        amount = quantize(amount)
        desk = plan.desk if method == PaymentMethod.CASH else 0
        if method == PaymentMethod.CASH and rng.random() < 0.1:
            desk = 1 - desk
        result.append(_Paid(day, method, amount, plan, desk))
        paid_total += amount
        return amount

    behaviour = plan.behaviour
    carry = Decimal("0")  # what the account means to pay besides the month's bill (negative: paid ahead)
    if behaviour == "advance":  # pays half a year ahead, twice a year
        phase = rng.randrange(6)
        for t, bill in enumerate(timeline):
            k = t - history
            if k % 6 == phase and bill > 0:
                pay(k, 3, 20, (bill * 6 / 100).to_integral_value(rounding=ROUND_CEILING) * 100)
    elif behaviour in ("monthly", "periodic"):  # every month, or every two or three; now and then forgets one
        every = 1 if behaviour == "monthly" else plan.every
        offset = rng.randrange(every)
        for t, bill in enumerate(timeline):
            k = t - history
            due = carry + bill
            carry = due
            if (t + offset) % every != every - 1 or due < 1:
                continue
            if rng.random() < 0.1:
                carry = due if rng.random() < 0.3 else due - bill  # caught up next time, or left as a debt
                continue
            if behaviour == "monthly" and rng.random() < 0.4:
                paid = pay(k, 12, 31, due)  # during the month, when the collector comes round
            else:
                paid = pay(k + 1, 1, 25, due)
            carry = due - paid
    elif behaviour == "irregular":  # about every other month, around a month's bill
        for t, bill in enumerate(timeline):
            if bill > 0 and rng.random() < 0.4:
                pay(t - history + 1, 1, 28, bill * Decimal(rng.randint(50, 130)) / 100, rounding=10)
    elif behaviour == "chronic" and rng.random() < 0.5:  # hardly ever, part of the debt after a notice
        billed = Decimal("0")
        for t, bill in enumerate(timeline):
            billed += bill
            owed = billed - paid_total
            if owed >= 300 and rng.random() < 0.07:
                pay(t - history + 1, 1, 28, owed * Decimal(rng.randint(20, 50)) / 100, rounding=50)
    opening = sum(timeline[:history], Decimal("0")) - paid_before
    return result, opening


def _reversals(organization, manager, rng, today) -> int:
    """Reverse a few recent payments through the service (before any closing of today exists)."""
    reasons = [
        (
            PaymentMethod.BANK,
            "РСК Банктын көчүрмөсүндө эсеп номери туура эмес: төлөм башка абонентке түшүп калган.",
        ),
        (
            PaymentMethod.CASH,
            "Кассир сумманы ката киргизген (50 ордуна 500), акча төлөөчүгө кайтарылды.",
        ),
        (PaymentMethod.TERMINAL, "Терминал аркылуу эки жолу төлөнгөн, арыз боюнча кайтарылды."),
        (
            PaymentMethod.BANK,
            "Ошибка в лицевом счёте: платёж зачислен не тому абоненту, возвращён по письму банка.",
        ),
    ]
    recent = Payment.objects.filter(
        organization=organization, received_on__gte=today - datetime.timedelta(days=40)
    ).order_by("pk")
    count = 0
    for method, reason in reasons:
        candidates = list(recent.filter(method=method, reversed_at__isnull=True).values_list("pk", flat=True))
        if candidates:
            payment = Payment.objects.select_related("organization").get(pk=rng.choice(candidates))
            services.payment_reverse(actor=manager, payment=payment, reason=reason)
            count += 1
    return count


def _adjustments(organization, manager, rng, plans, categories) -> int:
    """A few recalculations the manager entered, through the service."""
    house = categories["private-house"]
    price = (
        Tariff.objects.filter(organization=organization, category=house)
        .order_by("-effective_from")
        .values_list("price", flat=True)
        .first()
    )
    households = [
        p.subscriber
        for p in plans
        if p.subscriber.category_id == house.pk
        and p.subscriber.status == SubscriberStatus.ACTIVE
        and p.subscriber.exemption_id is None
    ]
    large = [s for s in households if s.residents >= 5]
    cases = [
        (
            large,
            -2 * price * 3,
            "Перерасчёт по акту обследования № 14: в доме проживают на 2 человека меньше, излишне начислено "
            "за 3 месяца.",
        ),
        (
            households,
            -price,
            "Кайра эсептөө: көчөдө эки жума таштанды чыгарылган жок (порталдагы арыз боюнча).",
        ),
        (
            households,
            2 * price * 2,
            "Доначисление по акту обследования № 21: 2 жильца не были учтены, за 2 месяца.",
        ),
    ]
    count = 0
    for accounts, amount, reason in cases:
        if accounts and price:
            services.adjustment_post(
                actor=manager, subscriber=rng.choice(accounts), amount=amount, reason=reason
            )
            count += 1
    return count


def _closings(organization, cashier, rng, paid: list[_Paid], desks, today) -> int:
    """The Z-report of every past day each desk took cash, from the payments themselves."""
    days: dict[tuple[int, datetime.date], list[_Paid]] = {}
    for item in paid:
        if item.receipt is not None and item.day < today:
            days.setdefault((desks[item.desk].pk, item.day), []).append(item)
    paid_back: dict[tuple[int, datetime.date], list[Decimal]] = {}
    for desk_id, day, amount in Payment.objects.filter(
        organization=organization, desk__isnull=False, reversed_at__isnull=False
    ).values_list("desk_id", "reversed_on", "amount"):
        paid_back.setdefault((desk_id, day), []).append(amount)
    shortfalls = set(rng.sample(sorted(days), min(3, len(days) // 20)))
    closings = []
    for (desk_id, day), taken in sorted(days.items()):
        total = sum((item.amount for item in taken), Decimal("0"))
        numbers = [item.receipt for item in taken]
        # Cash is paid back at the desk on the day of the reversal (the demo reverses today: no closed day).
        returned = paid_back.get((desk_id, day), [])
        expected = total - sum(returned, Decimal("0"))
        counted, note = expected, ""
        if (desk_id, day) in shortfalls:
            counted = expected - 10
            note = "Недостача 10 сом: сдача выдана неверно, кассир написал объяснительную."
        closings.append(
            CashClosing(
                organization=organization,
                desk_id=desk_id,
                date=day,
                cashier=cashier,
                payments_count=len(taken),
                first_receipt=min(numbers),
                last_receipt=max(numbers),
                total_received=quantize(total),
                reversals_count=len(returned),
                total_reversed=quantize(sum(returned, Decimal("0"))),
                expected_cash=quantize(expected),
                counted_cash=quantize(counted),
                difference=quantize(counted - expected),
                currency=organization.currency,
                note=note,
                closed_at=_aware(day, 17, 30 + rng.randint(0, 25)),
            )
        )
    CashClosing.objects.bulk_create(closings, batch_size=1000)
    return len(closings)
