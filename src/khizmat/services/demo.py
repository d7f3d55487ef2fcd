"""Demo data of the service centers: a national service catalog and six months of citizens' applications.

The catalog holds public services the Uzbek Public Service Centers (Davlat xizmatlari markazlari) really deliver,
with their documents, state duties (fractions of the base calculation amount, BHM = 412,000 UZS in 2025) and legal
deadlines in working days. The Public Services Agency (``dxa``) publishes it as national templates; each of the five
pilot centers carries a copy.

Applications are generated set-based (``bulk_create``), deterministically per center, on the country's working-day
calendar; their transitions follow the workflow of :mod:`khizmat.services.workflow`. Applicants, ID numbers, phones
and addresses are illustrative. Bulk inserts write no per-row history: the transitions are the applications' record.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from alifbo import to_cyrillic
from django.db import models
from django.utils import timezone

from khizmat.core.demo import DemoLogin, register
from khizmat.core.search import search_keys
from khizmat.services.choices import ApplicationStatus as S
from khizmat.services.choices import FeeStatus, ServiceCategory, ServiceChannel
from khizmat.services.models import PENDING_DECISION, Application, ApplicationTransition, Service
from khizmat.services.services import application_number_prefix
from khizmat.tenancy.calendar import add_working_days, is_working_day
from khizmat.tenancy.choices import DistrictKind, OrganizationKind, SettlementKind
from khizmat.tenancy.demo import Names
from khizmat.tenancy.demo_people import MOBILE_CODES, STREETS, uzbek_person
from khizmat.tenancy.models import Country, Organization, Settlement, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled
from khizmat.tenancy.sequences import NumberSequence

AGENCY_CODE = "dxa"
CENTER_CODES = ("bakhmal", "sariosiyo", "dehkanabad", "xovos", "nurafshon")
APPLICATIONS_PER_CENTER = 1500
HISTORY_DAYS = 183
BHM = 412_000  # base calculation amount (bazaviy hisoblash miqdori), UZS, 2025


def _cyrl(text: str) -> str:
    """Uzbek Cyrillic from Uzbek Latin (alifbo's transliteration; "ID" stays Latin, "obyekt" is "объект")."""
    return to_cyrillic(text).text.replace("ИД-карт", "ID-карт").replace("бйект", "бъект")


def _names(en: str, ru: str, uz: str, ky: str, uz_cyrl: str = "") -> Names:
    return Names(en=en, ru=ru, uz=uz, uz_cyrl=uz_cyrl or _cyrl(uz), ky=ky)


# Responsible agencies: English, Russian, Uzbek Latin, Kyrgyz (Uzbek Cyrillic is transliterated).
AGENCIES: dict[str, Names] = {
    "fhdy": _names(
        "Civil registry office (FHDY)",
        "Органы ЗАГС",
        "Fuqarolik holati dalolatnomalarini yozish (FHDYo) organlari",
        "Жарандык абалдын актыларын каттоо органдары",
        "Фуқаролик ҳолати далолатномаларини ёзиш (ФҲДЁ) органлари",
    ),
    "iiv": _names(
        "Ministry of Internal Affairs",
        "Министерство внутренних дел",
        "Ichki ishlar vazirligi",
        "Ички иштер министрлиги",
    ),
    "migration": _names(
        "Migration and citizenship department, Ministry of Internal Affairs",
        "Управление миграции и оформления гражданства МВД",
        "IIV Migratsiya va fuqarolikni rasmiylashtirish boshqarmasi",
        "ИИМдин Миграция жана жарандыкты тариздөө башкармалыгы",
        "ИИВ Миграция ва фуқароликни расмийлаштириш бошқармаси",
    ),
    "dxa": _names(
        "Public Services Agency",
        "Агентство государственных услуг",
        "Davlat xizmatlari agentligi",
        "Мамлекеттик кызматтар агенттиги",
    ),
    "tax": _names("Tax Committee", "Налоговый комитет", "Soliq qoʻmitasi", "Салык комитети"),
    "cadastre": _names("Cadastre Agency", "Агентство по кадастру", "Kadastr agentligi", "Кадастр агенттиги"),
    "hokimiyat": _names("District hokimiyat", "Хокимият района", "Tuman hokimligi", "Райондук хокимият"),
    "construction": _names(
        "Ministry of Construction and Housing and Communal Services",
        "Министерство строительства и жилищно-коммунального хозяйства",
        "Qurilish va uy-joy kommunal xoʻjaligi vazirligi",
        "Курулуш жана турак жай-коммуналдык чарба министрлиги",
    ),
    "social": _names(
        "National Agency for Social Protection",
        "Национальное агентство социальной защиты",
        "Ijtimoiy himoya milliy agentligi",
        "Социалдык коргоо улуттук агенттиги",
    ),
    "pension": _names(
        "Pension Fund",
        "Пенсионный фонд",
        "Pensiya jamgʻarmasi",
        "Пенсиялык фонд",
    ),
    "tmek": _names(
        "Medical and labour expert commission (TMEK)",
        "Врачебно-трудовая экспертная комиссия (ВТЭК)",
        "Tibbiy-mehnat ekspert komissiyasi (TMEK)",
        "Медициналык-эмгек эксперттик комиссиясы (МЭЭК)",
        "Тиббий-меҳнат эксперт комиссияси (ТМЭК)",
    ),
    "school": _names(
        "Ministry of Preschool and School Education",
        "Министерство дошкольного и школьного образования",
        "Maktabgacha va maktab taʼlimi vazirligi",
        "Мектепке чейинки жана мектептик билим берүү министрлиги",
    ),
    "higher": _names(
        "Ministry of Higher Education, Science and Innovation",
        "Министерство высшего образования, науки и инноваций",
        "Oliy taʼlim, fan va innovatsiyalar vazirligi",
        "Жогорку билим берүү, илим жана инновациялар министрлиги",
    ),
    "archive": _names(
        "Uzarchive Agency",
        "Агентство «Узархив»",
        "«Oʻzarxiv» agentligi",
        "«Өзархив» агенттиги",
    ),
    "gas": _names(
        "Regional gas supply (Hududgaztaminot JSC)",
        "АО «Худудгазтаъминот»",
        "«Hududgaztaʼminot» AJ",
        "«Худудгазтаъминот» АК",
    ),
    "electricity": _names(
        "Regional electric networks JSC",
        "АО «Региональные электрические сети»",
        "«Hududiy elektr tarmoqlari» AJ",
        "«Аймактык электр тармактары» АК",
    ),
    "water": _names(
        "Water supply (Uzsuvtaminot JSC)",
        "АО «Узсувтаъминот»",
        "«Oʻzsuvtaʼminot» AJ",
        "«Өзсувтаъминот» АК",
    ),
    "traffic": _names(
        "Road safety department, Ministry of Internal Affairs",
        "Управление безопасности дорожного движения МВД",
        "IIV Yoʻl harakati xavfsizligi boshqarmasi",
        "ИИМдин Жол кыймылынын коопсуздугу башкармалыгы",
        "ИИВ Йўл ҳаракати хавфсизлиги бошқармаси",
    ),
    "notary": _names("Notary office", "Нотариальная контора", "Notarial idora", "Нотариалдык кеңсе"),
}


@dataclass(frozen=True)
class Documents:
    """Required documents, one per line, in Uzbek Latin, Russian and English."""

    uz: tuple[str, ...]
    ru: tuple[str, ...]
    en: tuple[str, ...]

    def fields(self) -> dict[str, str]:
        uz = "\n".join(self.uz)
        return {
            "required_documents": "\n".join(self.en),
            "required_documents_en": "\n".join(self.en),
            "required_documents_ru": "\n".join(self.ru),
            "required_documents_uz": uz,
            "required_documents_uz_cyrl": _cyrl(uz),
        }


# Documents that many services ask for.
_ID = (
    "Arizachining pasporti yoki ID-kartasi",
    "Паспорт или ID-карта заявителя",
    "Applicant's passport or ID card",
)
_DUTY = (
    "Davlat boji toʻlanganligi haqidagi kvitansiya",
    "Квитанция об оплате государственной пошлины",
    "Receipt of payment of the state duty",
)


def _docs(*rows: tuple[str, str, str]) -> Documents:
    return Documents(
        uz=tuple(row[0] for row in rows), ru=tuple(row[1] for row in rows), en=tuple(row[2] for row in rows)
    )


@dataclass(frozen=True)
class ServiceData:
    code: str
    category: str
    names: Names
    documents: Documents
    fee: int  # UZS
    days: int  # legal deadline, working days
    agency: str  # key of AGENCIES
    channel: str = ServiceChannel.BOTH
    weight: int = 2  # relative demand
    reject_rate: float = 0.05
    info_rate: float = 0.1
    ages: tuple[int, int] = (18, 75)  # the applicant's age


C = ServiceCategory
CH = ServiceChannel

CATALOG: list[ServiceData] = [
    # Civil registry (FHDYo).
    ServiceData(
        "FHDY-01",
        C.CIVIL_REGISTRY,
        _names(
            "Birth registration",
            "Государственная регистрация рождения",
            "Tugʻilishni qayd etish",
            "Төрөлгөндү каттоо",
        ),
        _docs(
            (
                "Bolaning tugʻilganligi haqidagi tibbiy maʼlumotnoma (103-shakl)",
                "Медицинская справка о рождении ребёнка (форма 103)",
                "Medical certificate of birth (form 103)",
            ),
            (
                "Ota-onaning pasporti yoki ID-kartasi",
                "Паспорта или ID-карты родителей",
                "Parents' passports or ID cards",
            ),
            (
                "Ota-onaning nikoh haqidagi guvohnomasi (nikohda boʻlsa)",
                "Свидетельство о браке родителей (если состоят в браке)",
                "Parents' marriage certificate (if married)",
            ),
        ),
        fee=0,
        days=1,
        agency="fhdy",
        weight=8,
        reject_rate=0.005,
        info_rate=0.03,
        ages=(20, 45),
    ),
    ServiceData(
        "FHDY-02",
        C.CIVIL_REGISTRY,
        _names(
            "Marriage registration",
            "Государственная регистрация заключения брака",
            "Nikohni qayd etish",
            "Никени каттоо",
        ),
        _docs(
            (
                "Kelin va kuyovning pasporti yoki ID-kartasi",
                "Паспорта или ID-карты жениха и невесты",
                "Passports or ID cards of the bride and groom",
            ),
            (
                "Nikohlanuvchilarning tibbiy koʻrikdan oʻtganligi haqidagi xulosa",
                "Заключение о медицинском обследовании вступающих в брак",
                "Premarital medical examination certificates",
            ),
            (
                "Avvalgi nikoh bekor qilinganligi haqidagi guvohnoma (boʻlsa)",
                "Свидетельство о расторжении предыдущего брака (при наличии)",
                "Divorce certificate of a previous marriage (if any)",
            ),
            _DUTY,
        ),
        fee=BHM // 2,
        days=22,
        agency="fhdy",
        channel=CH.COUNTER,
        weight=3,
        reject_rate=0.02,
        ages=(18, 35),
    ),
    ServiceData(
        "FHDY-03",
        C.CIVIL_REGISTRY,
        _names(
            "Death registration", "Государственная регистрация смерти", "Vafotni qayd etish", "Өлүмдү каттоо"
        ),
        _docs(
            (
                "Vafot etganlik haqidagi tibbiy maʼlumotnoma (106-shakl)",
                "Медицинское свидетельство о смерти (форма 106)",
                "Medical certificate of death (form 106)",
            ),
            (
                "Marhumning pasporti yoki ID-kartasi",
                "Паспорт или ID-карта умершего",
                "Passport or ID card of the deceased",
            ),
            _ID,
        ),
        fee=0,
        days=1,
        agency="fhdy",
        channel=CH.COUNTER,
        weight=3,
        reject_rate=0.0,
        info_rate=0.02,
        ages=(30, 70),
    ),
    ServiceData(
        "FHDY-04",
        C.CIVIL_REGISTRY,
        _names(
            "Divorce registration by mutual consent (no minor children)",
            "Регистрация расторжения брака по взаимному согласию (без несовершеннолетних детей)",
            "Nikohdan ajralishni oʻzaro rozilik asosida qayd etish (voyaga yetmagan bolalar boʻlmaganda)",
            "Никени өз ара макулдук менен бузууну каттоо (жашы жете элек балдар жок болгондо)",
        ),
        _docs(
            (
                "Er-xotinning birgalikdagi arizasi",
                "Совместное заявление супругов",
                "Joint application of the spouses",
            ),
            (
                "Er-xotinning pasporti yoki ID-kartasi",
                "Паспорта или ID-карты супругов",
                "Passports or ID cards of the spouses",
            ),
            ("Nikoh haqidagi guvohnoma", "Свидетельство о заключении брака", "Marriage certificate"),
            _DUTY,
        ),
        fee=BHM,
        days=22,
        agency="fhdy",
        channel=CH.COUNTER,
        weight=1,
        reject_rate=0.08,
        ages=(22, 55),
    ),
    ServiceData(
        "FHDY-05",
        C.CIVIL_REGISTRY,
        _names(
            "Repeat civil status certificate",
            "Выдача повторного свидетельства о регистрации акта ЗАГС",
            "FHDYo guvohnomasining takroriy nusxasini berish",
            "ЖАКтын күбөлүгүн кайталап берүү",
            "ФҲДЁ гувоҳномасининг такрорий нусхасини бериш",
        ),
        _docs(
            _ID,
            (
                "Ishonchnoma (boshqa shaxs nomidan murojaat qilinganda)",
                "Доверенность (при обращении от имени другого лица)",
                "Power of attorney (when applying on behalf of another person)",
            ),
            _DUTY,
        ),
        fee=BHM // 20,
        days=5,
        agency="fhdy",
        weight=4,
        reject_rate=0.03,
    ),
    # Identity documents and certificates.
    ServiceData(
        "IIV-01",
        C.IDENTITY,
        _names(
            "Certificate of no criminal record",
            "Справка о наличии или отсутствии судимости",
            "Sudlanganlik yoki sudlanmaganlik haqida maʼlumotnoma",
            "Соттуулугу бар же жок экендиги жөнүндө маалымкат",
        ),
        _docs(_ID, _DUTY),
        fee=BHM // 10,
        days=5,
        agency="iiv",
        weight=10,
        reject_rate=0.01,
        info_rate=0.03,
    ),
    ServiceData(
        "IIV-02",
        C.IDENTITY,
        _names(
            "Permanent address registration (propiska)",
            "Постоянная прописка по месту жительства",
            "Doimiy yashash joyi boʻyicha roʻyxatga olish (propiska)",
            "Туруктуу жашаган жери боюнча каттоо (прописка)",
        ),
        _docs(
            _ID,
            (
                "Uy-joyga mulk huquqini tasdiqlovchi hujjat yoki uy egasining roziligi",
                "Документ о праве собственности на жильё или согласие собственника",
                "Title deed of the home or the owner's consent",
            ),
            (
                "Avvalgi yashash joyidan roʻyxatdan chiqarilganlik haqidagi belgi",
                "Отметка о снятии с регистрации по прежнему месту жительства",
                "Stamp of removal from the previous address",
            ),
            _DUTY,
        ),
        fee=BHM // 10,
        days=5,
        agency="migration",
        channel=CH.COUNTER,
        weight=7,
        reject_rate=0.05,
        info_rate=0.15,
    ),
    ServiceData(
        "IIV-03",
        C.IDENTITY,
        _names(
            "Removal from address registration",
            "Снятие с регистрации по месту жительства",
            "Yashash joyi boʻyicha roʻyxatdan chiqarish",
            "Жашаган жери боюнча каттоодон чыгаруу",
        ),
        _docs(
            _ID,
            (
                "Harbiy hisobdan chiqarilganlik haqida belgi (harbiy xizmatga majburlar uchun)",
                "Отметка о снятии с воинского учёта (для военнообязанных)",
                "Stamp of removal from the military register (for those liable to serve)",
            ),
        ),
        fee=BHM // 20,
        days=3,
        agency="migration",
        channel=CH.COUNTER,
        weight=3,
        reject_rate=0.01,
    ),
    ServiceData(
        "IIV-04",
        C.IDENTITY,
        _names(
            "First ID card (at 16)",
            "Получение ID-карты впервые (в 16 лет)",
            "ID-kartani birinchi marta olish (16 yoshda)",
            "ID-картаны биринчи жолу алуу (16 жашта)",
            "ID-картани биринчи марта олиш (16 ёшда)",
        ),
        _docs(
            ("Bolaning tugʻilganlik haqidagi guvohnomasi", "Свидетельство о рождении", "Birth certificate"),
            (
                "Ota-onadan birining pasporti yoki ID-kartasi",
                "Паспорт или ID-карта одного из родителей",
                "Passport or ID card of a parent",
            ),
            (
                "Doimiy yashash joyini tasdiqlovchi maʼlumot",
                "Сведения о постоянном месте жительства",
                "Proof of the permanent address",
            ),
        ),
        fee=0,
        days=10,
        agency="migration",
        channel=CH.COUNTER,
        weight=4,
        reject_rate=0.01,
        ages=(35, 55),
    ),
    ServiceData(
        "IIV-05",
        C.IDENTITY,
        _names(
            "Replacement of an ID card (loss, damage, change of name)",
            "Замена ID-карты (утеря, порча, смена фамилии)",
            "ID-kartani almashtirish (yoʻqotilganda, yaroqsiz holga kelganda, familiya oʻzgarganda)",
            "ID-картаны алмаштыруу (жоголгондо, бузулганда, фамилия өзгөргөндө)",
            "ID-картани алмаштириш (йўқотилганда, яроқсиз ҳолга келганда, фамилия ўзгарганда)",
        ),
        _docs(
            (
                "Amaldagi ID-karta yoki pasport (boʻlsa)",
                "Действующая ID-карта или паспорт (при наличии)",
                "Current ID card or passport (if any)",
            ),
            (
                "Yoʻqotilganlik haqida ariza (yoʻqotilgan holda)",
                "Заявление об утере (в случае утери)",
                "Statement of loss (if lost)",
            ),
            (
                "Familiya oʻzgarganligini tasdiqlovchi guvohnoma (boʻlsa)",
                "Свидетельство о перемене фамилии (при наличии)",
                "Certificate of the change of name (if any)",
            ),
            _DUTY,
        ),
        fee=BHM // 5,
        days=10,
        agency="migration",
        channel=CH.COUNTER,
        weight=5,
        reject_rate=0.01,
    ),
    ServiceData(
        "DXA-01",
        C.IDENTITY,
        _names(
            "Certificate of family composition",
            "Справка о составе семьи",
            "Oila tarkibi haqida maʼlumotnoma",
            "Үй-бүлө курамы жөнүндө маалымкат",
        ),
        _docs(
            _ID,
            (
                "Oila aʼzolarining tugʻilganlik haqidagi guvohnomalari",
                "Свидетельства о рождении членов семьи",
                "Birth certificates of the family members",
            ),
        ),
        fee=0,
        days=1,
        agency="dxa",
        weight=7,
        reject_rate=0.005,
        info_rate=0.03,
    ),
    ServiceData(
        "ARX-01",
        C.IDENTITY,
        _names(
            "Archive certificate (length of service, salary)",
            "Архивная справка (о стаже, заработной плате)",
            "Arxiv maʼlumotnomasi (mehnat staji, ish haqi toʻgʻrisida)",
            "Архивдик маалымкат (эмгек стажы, эмгек акы жөнүндө)",
        ),
        _docs(
            _ID,
            ("Mehnat daftarchasining nusxasi", "Копия трудовой книжки", "Copy of the employment record book"),
            (
                "Soʻralayotgan davr va tashkilot nomi koʻrsatilgan ariza",
                "Заявление с указанием периода и названия организации",
                "Application naming the period and the employer",
            ),
            _DUTY,
        ),
        fee=BHM // 10,
        days=15,
        agency="archive",
        weight=3,
        reject_rate=0.06,
        ages=(45, 70),
    ),
    # Business registration and permits.
    ServiceData(
        "BIZ-01",
        C.BUSINESS,
        _names(
            "State registration of an individual entrepreneur",
            "Государственная регистрация индивидуального предпринимателя",
            "Yakka tartibdagi tadbirkorni davlat roʻyxatidan oʻtkazish",
            "Жеке ишкерди мамлекеттик каттоо",
        ),
        _docs(
            _ID,
            (
                "Faoliyat turi koʻrsatilgan ariza",
                "Заявление с указанием вида деятельности",
                "Application naming the type of activity",
            ),
            _DUTY,
        ),
        fee=BHM // 10,
        days=1,
        agency="dxa",
        weight=6,
        reject_rate=0.02,
        ages=(20, 60),
    ),
    ServiceData(
        "BIZ-02",
        C.BUSINESS,
        _names(
            "State registration of a legal entity",
            "Государственная регистрация юридического лица",
            "Yuridik shaxsni davlat roʻyxatidan oʻtkazish",
            "Юридикалык жакты мамлекеттик каттоо",
        ),
        _docs(
            (
                "Taʼsischilarning pasporti yoki ID-kartasi",
                "Паспорта или ID-карты учредителей",
                "Founders' passports or ID cards",
            ),
            (
                "Taʼsis shartnomasi va ustav",
                "Учредительный договор и устав",
                "Founding agreement and charter",
            ),
            (
                "Korxona nomi band qilinganligi haqida maʼlumot",
                "Сведения о резервировании фирменного наименования",
                "Confirmation of the reserved company name",
            ),
            _DUTY,
        ),
        fee=BHM,
        days=2,
        agency="dxa",
        weight=3,
        reject_rate=0.05,
        info_rate=0.2,
        ages=(22, 60),
    ),
    ServiceData(
        "BIZ-03",
        C.BUSINESS,
        _names(
            "Liquidation of a business entity",
            "Ликвидация субъекта предпринимательства",
            "Tadbirkorlik subyektini tugatish",
            "Ишкердик субъектин жоюу",
        ),
        _docs(
            ("Tugatish toʻgʻrisidagi qaror", "Решение о ликвидации", "Decision to liquidate"),
            (
                "Soliq organidan qarzdorlik yoʻqligi haqida maʼlumotnoma",
                "Справка налогового органа об отсутствии задолженности",
                "Tax office certificate of no arrears",
            ),
            ("Tugatish balansi", "Ликвидационный баланс", "Liquidation balance sheet"),
            _DUTY,
        ),
        fee=BHM // 5,
        days=10,
        agency="tax",
        channel=CH.COUNTER,
        weight=1,
        reject_rate=0.1,
        info_rate=0.25,
        ages=(25, 65),
    ),
    ServiceData(
        "BIZ-04",
        C.BUSINESS,
        _names(
            "Permit for retail sale of alcoholic beverages",
            "Разрешение на розничную торговлю алкогольной продукцией",
            "Alkogol mahsulotlarini chakana savdo qilishga ruxsatnoma",
            "Алкоголдук продукцияны чекене сатууга уруксат",
        ),
        _docs(
            (
                "Tadbirkorlik subyektining davlat roʻyxatidan oʻtganligi haqidagi guvohnoma",
                "Свидетельство о государственной регистрации субъекта предпринимательства",
                "Certificate of state registration of the business",
            ),
            (
                "Savdo obyektiga boʻlgan huquqni tasdiqlovchi hujjat",
                "Документ, подтверждающий право на торговый объект",
                "Title or lease of the shop",
            ),
            (
                "Savdo obyektining sanitariya-epidemiologik xulosasi",
                "Санитарно-эпидемиологическое заключение на торговый объект",
                "Sanitary and epidemiological clearance of the shop",
            ),
            (
                "Ruxsatnoma yigʻimi toʻlanganligi haqidagi kvitansiya",
                "Квитанция об оплате сбора за разрешение",
                "Receipt of payment of the permit fee",
            ),
        ),
        fee=BHM,
        days=15,
        agency="tax",
        weight=1,
        reject_rate=0.15,
        info_rate=0.25,
        ages=(25, 60),
    ),
    # Land and property.
    ServiceData(
        "KAD-01",
        C.LAND_PROPERTY,
        _names(
            "Land plot allocation for individual housing construction",
            "Предоставление земельного участка для индивидуального жилищного строительства",
            "Yakka tartibdagi uy-joy qurilishi uchun yer uchastkasi ajratish",
            "Жеке турак жай куруу үчүн жер участогун бөлүп берүү",
        ),
        _docs(
            _ID,
            (
                "Oila tarkibi haqida maʼlumotnoma",
                "Справка о составе семьи",
                "Certificate of family composition",
            ),
            (
                "Uy-joyga muhtojligini tasdiqlovchi mahalla maʼlumotnomasi",
                "Справка махалли о нуждаемости в жилье",
                "Mahalla certificate of housing need",
            ),
            (
                "Arizachi va oila aʼzolari nomida uy-joy yoʻqligi haqida kadastr maʼlumotnomasi",
                "Справка кадастра об отсутствии жилья у заявителя и членов семьи",
                "Cadastre certificate that the family owns no home",
            ),
        ),
        fee=0,
        days=30,
        agency="hokimiyat",
        weight=2,
        reject_rate=0.25,
        info_rate=0.3,
        ages=(22, 50),
    ),
    ServiceData(
        "KAD-02",
        C.LAND_PROPERTY,
        _names(
            "State registration of rights to real estate",
            "Государственная регистрация прав на недвижимое имущество",
            "Koʻchmas mulkka boʻlgan huquqlarni davlat roʻyxatidan oʻtkazish",
            "Кыймылсыз мүлккө болгон укуктарды мамлекеттик каттоо",
        ),
        _docs(
            (
                "Mulkdorning pasporti yoki ID-kartasi",
                "Паспорт или ID-карта собственника",
                "Owner's passport or ID card",
            ),
            (
                "Huquqni belgilovchi hujjat (oldi-sotdi, hadya shartnomasi yoki meros guvohnomasi)",
                "Правоустанавливающий документ (договор купли-продажи, дарения или свидетельство о наследстве)",
                "Title document (contract of sale or gift, or certificate of inheritance)",
            ),
            ("Kadastr pasporti", "Кадастровый паспорт", "Cadastral passport"),
            _DUTY,
        ),
        fee=BHM // 5,
        days=10,
        agency="cadastre",
        weight=6,
        reject_rate=0.06,
        info_rate=0.2,
        ages=(25, 70),
    ),
    ServiceData(
        "KAD-03",
        C.LAND_PROPERTY,
        _names(
            "Cadastral (technical) passport of a building",
            "Кадастровый (технический) паспорт здания",
            "Binoning kadastr (texnik) pasporti",
            "Имараттын кадастрдык (техникалык) паспорту",
        ),
        _docs(
            (
                "Mulkdorning pasporti yoki ID-kartasi",
                "Паспорт или ID-карта собственника",
                "Owner's passport or ID card",
            ),
            (
                "Yer uchastkasiga boʻlgan huquqni tasdiqlovchi hujjat",
                "Документ о праве на земельный участок",
                "Title to the land plot",
            ),
            (
                "Qurilishga ruxsatnoma (yangi qurilgan bino uchun)",
                "Разрешение на строительство (для нового здания)",
                "Construction permit (for a new building)",
            ),
            (
                "Xizmat haqi toʻlanganligi haqidagi kvitansiya",
                "Квитанция об оплате услуги",
                "Receipt of payment for the service",
            ),
        ),
        fee=BHM // 2,
        days=15,
        agency="cadastre",
        channel=CH.COUNTER,
        weight=3,
        reject_rate=0.04,
        info_rate=0.2,
        ages=(25, 70),
    ),
    ServiceData(
        "KAD-04",
        C.LAND_PROPERTY,
        _names(
            "Extract from the register of rights to real estate",
            "Выписка из государственного реестра прав на недвижимость",
            "Koʻchmas mulkka boʻlgan huquqlar davlat reyestridan koʻchirma",
            "Кыймылсыз мүлккө болгон укуктардын мамлекеттик реестринен көчүрмө",
        ),
        _docs(
            _ID,
            (
                "Koʻchmas mulkning kadastr raqami",
                "Кадастровый номер объекта недвижимости",
                "Cadastral number of the property",
            ),
            _DUTY,
        ),
        fee=BHM // 20,
        days=1,
        agency="cadastre",
        weight=5,
        reject_rate=0.01,
        info_rate=0.03,
        ages=(25, 70),
    ),
    ServiceData(
        "KAD-05",
        C.LAND_PROPERTY,
        _names(
            "Permit for construction of an individual house",
            "Разрешение на строительство индивидуального жилого дома",
            "Yakka tartibdagi turar joy uyini qurishga ruxsatnoma",
            "Жеке турак үй курууга уруксат",
        ),
        _docs(
            _ID,
            (
                "Yer uchastkasiga boʻlgan huquqni tasdiqlovchi hujjat",
                "Документ о праве на земельный участок",
                "Title to the land plot",
            ),
            ("Uy-joyning eskiz loyihasi", "Эскизный проект дома", "Outline design of the house"),
            _DUTY,
        ),
        fee=BHM // 5,
        days=10,
        agency="construction",
        weight=2,
        reject_rate=0.1,
        info_rate=0.25,
        ages=(25, 60),
    ),
    # Social benefits.
    ServiceData(
        "SOC-01",
        C.SOCIAL,
        _names(
            "Child benefit (nafaqa) assignment",
            "Назначение пособия на детей",
            "Bolali oilalarga nafaqa tayinlash",
            "Балдуу үй-бүлөлөргө жөлөкпул дайындоо",
        ),
        _docs(
            _ID,
            (
                "Bolalarning tugʻilganlik haqidagi guvohnomalari",
                "Свидетельства о рождении детей",
                "Children's birth certificates",
            ),
            (
                "Oila aʼzolarining daromadlari haqida maʼlumot",
                "Сведения о доходах членов семьи",
                "Statement of the family members' income",
            ),
            ("Bank kartasi rekvizitlari", "Реквизиты банковской карты", "Bank card details"),
        ),
        fee=0,
        days=10,
        agency="social",
        weight=6,
        reject_rate=0.12,
        info_rate=0.2,
        ages=(22, 45),
    ),
    ServiceData(
        "SOC-02",
        C.SOCIAL,
        _names(
            "Social benefit for a low-income family",
            "Материальная помощь малообеспеченной семье",
            "Kam taʼminlangan oilaga moddiy yordam tayinlash",
            "Аз камсыз болгон үй-бүлөгө материалдык жардам дайындоо",
        ),
        _docs(
            _ID,
            (
                "Oila tarkibi haqida maʼlumotnoma",
                "Справка о составе семьи",
                "Certificate of family composition",
            ),
            (
                "Oila aʼzolarining soʻnggi 12 oylik daromadlari haqida maʼlumotnoma",
                "Справка о доходах членов семьи за последние 12 месяцев",
                "Income statement of the family members for the last 12 months",
            ),
            (
                "Mahalla fuqarolar yigʻini xulosasi",
                "Заключение схода граждан махалли",
                "Opinion of the mahalla citizens' assembly",
            ),
        ),
        fee=0,
        days=10,
        agency="social",
        weight=5,
        reject_rate=0.18,
        info_rate=0.25,
        ages=(25, 60),
    ),
    ServiceData(
        "SOC-03",
        C.SOCIAL,
        _names(
            "Assignment of an old-age pension",
            "Назначение пенсии по возрасту",
            "Yoshga doir pensiya tayinlash",
            "Курак боюнча пенсия дайындоо",
        ),
        _docs(
            _ID,
            ("Mehnat daftarchasi", "Трудовая книжка", "Employment record book"),
            (
                "Soʻnggi 10 yillik ish haqi haqida maʼlumotnoma",
                "Справка о заработной плате за последние 10 лет",
                "Salary statement for the last 10 years",
            ),
            (
                "Harbiy bilet (harbiy xizmatni oʻtaganlar uchun)",
                "Военный билет (для прошедших военную службу)",
                "Military record card (for those who served)",
            ),
        ),
        fee=0,
        days=10,
        agency="pension",
        channel=CH.COUNTER,
        weight=3,
        reject_rate=0.05,
        info_rate=0.25,
        ages=(55, 63),
    ),
    ServiceData(
        "SOC-04",
        C.SOCIAL,
        _names(
            "Referral to the medical and labour expert commission (disability)",
            "Направление на ВТЭК (установление инвалидности)",
            "Nogironlikni belgilash uchun TMEKka yoʻllanma",
            "Майыптыкты аныктоо үчүн МЭЭКке жолдомо",
            "Ногиронликни белгилаш учун ТМЭКка йўлланма",
        ),
        _docs(
            _ID,
            (
                "Davolovchi shifokorning tibbiy xulosasi (088-shakl)",
                "Медицинское заключение лечащего врача (форма 088)",
                "Doctor's medical report (form 088)",
            ),
            (
                "Ambulator kartadan koʻchirma",
                "Выписка из амбулаторной карты",
                "Extract from the outpatient record",
            ),
        ),
        fee=0,
        days=5,
        agency="tmek",
        channel=CH.COUNTER,
        weight=2,
        reject_rate=0.08,
        ages=(30, 75),
    ),
    # Education and other services.
    ServiceData(
        "EDU-01",
        C.OTHER,
        _names(
            "Kindergarten enrolment (preschool queue)",
            "Постановка в очередь в дошкольную организацию",
            "Maktabgacha taʼlim tashkilotiga navbatga qoʻyish",
            "Мектепке чейинки билим берүү уюмуна кезекке коюу",
        ),
        _docs(
            (
                "Bolaning tugʻilganlik haqidagi guvohnomasi",
                "Свидетельство о рождении ребёнка",
                "Child's birth certificate",
            ),
            (
                "Ota-onadan birining pasporti yoki ID-kartasi",
                "Паспорт или ID-карта одного из родителей",
                "Passport or ID card of a parent",
            ),
            (
                "Bolaning tibbiy kartasi (026-shakl)",
                "Медицинская карта ребёнка (форма 026)",
                "Child's medical record (form 026)",
            ),
        ),
        fee=0,
        days=5,
        agency="school",
        channel=CH.ONLINE,
        weight=4,
        reject_rate=0.02,
        ages=(22, 40),
    ),
    ServiceData(
        "EDU-02",
        C.OTHER,
        _names(
            "Enrolment in the first grade of school",
            "Приём в первый класс общеобразовательной школы",
            "Umumtaʼlim maktabining birinchi sinfiga qabul qilish",
            "Жалпы билим берүүчү мектептин биринчи классына кабыл алуу",
        ),
        _docs(
            (
                "Bolaning tugʻilganlik haqidagi guvohnomasi",
                "Свидетельство о рождении ребёнка",
                "Child's birth certificate",
            ),
            (
                "Ota-onadan birining pasporti yoki ID-kartasi",
                "Паспорт или ID-карта одного из родителей",
                "Passport or ID card of a parent",
            ),
            (
                "Bolaning tibbiy kartasi (026-shakl)",
                "Медицинская карта ребёнка (форма 026)",
                "Child's medical record (form 026)",
            ),
            ("3x4 oʻlchamdagi 2 dona fotosurat", "2 фотографии 3x4", "Two 3x4 photographs"),
        ),
        fee=0,
        days=5,
        agency="school",
        weight=2,
        reject_rate=0.02,
        ages=(26, 45),
    ),
    ServiceData(
        "EDU-03",
        C.OTHER,
        _names(
            "Duplicate of a diploma",
            "Выдача дубликата диплома",
            "Diplom dublikatini berish",
            "Дипломдун дубликатын берүү",
        ),
        _docs(
            _ID,
            (
                "Diplom yoʻqolganligi haqidagi eʼlon (gazeta yoki rasmiy sayt)",
                "Объявление об утере диплома (газета или официальный сайт)",
                "Notice of the lost diploma (newspaper or official website)",
            ),
            _DUTY,
        ),
        fee=BHM // 5,
        days=15,
        agency="higher",
        weight=1,
        reject_rate=0.05,
        ages=(22, 55),
    ),
    ServiceData(
        "NOT-01",
        C.OTHER,
        _names(
            "Referral for a notarised power of attorney",
            "Направление на нотариальное удостоверение доверенности",
            "Ishonchnomani notarial tasdiqlashga yoʻllanma",
            "Ишеним катты нотариалдык күбөлөндүрүүгө жолдомо",
        ),
        _docs(
            (
                "Ishonch bildiruvchining pasporti yoki ID-kartasi",
                "Паспорт или ID-карта доверителя",
                "Principal's passport or ID card",
            ),
            (
                "Ishonchli vakilning pasport maʼlumotlari",
                "Паспортные данные представителя",
                "Passport details of the representative",
            ),
            (
                "Mulkka oid hujjatlar (mulkni tasarruf etish uchun)",
                "Документы на имущество (для распоряжения имуществом)",
                "Property documents (to dispose of property)",
            ),
        ),
        fee=BHM // 20,
        days=1,
        agency="notary",
        channel=CH.COUNTER,
        weight=2,
        reject_rate=0.01,
        info_rate=0.05,
    ),
    # Housing and utilities.
    ServiceData(
        "KOM-01",
        C.HOUSING_UTILITIES,
        _names(
            "Technical conditions for a gas connection",
            "Технические условия на подключение к газоснабжению",
            "Gaz taʼminotiga ulanish uchun texnik shartlar",
            "Газ менен камсыздоого туташуу үчүн техникалык шарттар",
        ),
        _docs(
            (
                "Mulkdorning pasporti yoki ID-kartasi",
                "Паспорт или ID-карта собственника",
                "Owner's passport or ID card",
            ),
            (
                "Koʻchmas mulkka boʻlgan huquqni tasdiqlovchi hujjat",
                "Документ о праве собственности на недвижимость",
                "Title document of the property",
            ),
            ("Uy-joyning kadastr pasporti", "Кадастровый паспорт дома", "Cadastral passport of the home"),
        ),
        fee=BHM // 2,
        days=10,
        agency="gas",
        weight=3,
        reject_rate=0.08,
        info_rate=0.15,
    ),
    ServiceData(
        "KOM-02",
        C.HOUSING_UTILITIES,
        _names(
            "Technical conditions for an electricity connection",
            "Технические условия на подключение к электрическим сетям",
            "Elektr tarmoqlariga ulanish uchun texnik shartlar",
            "Электр тармактарына туташуу үчүн техникалык шарттар",
        ),
        _docs(
            (
                "Mulkdorning pasporti yoki ID-kartasi",
                "Паспорт или ID-карта собственника",
                "Owner's passport or ID card",
            ),
            (
                "Koʻchmas mulkka boʻlgan huquqni tasdiqlovchi hujjat",
                "Документ о праве собственности на недвижимость",
                "Title document of the property",
            ),
            (
                "Elektr quvvatiga talab haqida ariza",
                "Заявка на требуемую электрическую мощность",
                "Request stating the power needed",
            ),
        ),
        fee=BHM // 5,
        days=10,
        agency="electricity",
        weight=3,
        reject_rate=0.05,
        info_rate=0.15,
    ),
    ServiceData(
        "KOM-03",
        C.HOUSING_UTILITIES,
        _names(
            "Technical conditions for a water supply connection",
            "Технические условия на подключение к водоснабжению",
            "Ichimlik suvi taʼminotiga ulanish uchun texnik shartlar",
            "Ичүүчү суу менен камсыздоого туташуу үчүн техникалык шарттар",
        ),
        _docs(
            (
                "Mulkdorning pasporti yoki ID-kartasi",
                "Паспорт или ID-карта собственника",
                "Owner's passport or ID card",
            ),
            (
                "Koʻchmas mulkka boʻlgan huquqni tasdiqlovchi hujjat",
                "Документ о праве собственности на недвижимость",
                "Title document of the property",
            ),
            (
                "Yer uchastkasining joylashuv sxemasi",
                "Ситуационная схема земельного участка",
                "Site plan of the land plot",
            ),
        ),
        fee=BHM // 10,
        days=10,
        agency="water",
        weight=2,
        reject_rate=0.05,
        info_rate=0.15,
    ),
    # Transport.
    ServiceData(
        "TRN-01",
        C.TRANSPORT,
        _names(
            "Referral for vehicle registration",
            "Направление на регистрацию транспортного средства",
            "Transport vositasini roʻyxatdan oʻtkazishga yoʻllanma",
            "Унааны каттоого жолдомо",
        ),
        _docs(
            (
                "Egasining pasporti yoki ID-kartasi",
                "Паспорт или ID-карта владельца",
                "Owner's passport or ID card",
            ),
            (
                "Transport vositasining oldi-sotdi shartnomasi yoki hisob-maʼlumotnomasi",
                "Договор купли-продажи или справка-счёт на транспортное средство",
                "Contract of sale or invoice certificate of the vehicle",
            ),
            (
                "Transport vositasining qayd etish guvohnomasi (texpasport)",
                "Свидетельство о регистрации транспортного средства (техпаспорт)",
                "Vehicle registration certificate",
            ),
            _DUTY,
        ),
        fee=BHM // 5,
        days=3,
        agency="traffic",
        channel=CH.COUNTER,
        weight=3,
        reject_rate=0.03,
        ages=(20, 65),
    ),
]

# Why a citizen was asked for more, or refused, in Uzbek Latin as the citizen reads it: by service code or category
# first, else a general reason ("fee" only for services with a fee).
INFO_REQUESTS: dict[str, list[str]] = {
    "default": [
        "Mahalla maʼlumotnomasi yetishmaydi",
        "Pasport nusxasi oʻqib boʻlmaydigan darajada — aniq nusxa taqdim eting",
        "Arizadagi manzil propiska maʼlumotlariga mos kelmaydi",
        "Arizachining imzosi yoʻq — arizani qayta imzolang",
    ],
    "fee": ["Davlat boji toʻlanganligi haqidagi kvitansiya ilova qilinmagan"],
    "FHDY-01": ["Ota-onaning nikoh guvohnomasi nusxasi kerak", "Tibbiy maʼlumotnomaning asl nusxasi kerak"],
    "FHDY-02": ["Nikohdan oldingi tibbiy koʻrik xulosasi ilova qilinmagan"],
    "FHDY-03": ["Tibbiy maʼlumotnomaning asl nusxasi kerak"],
    C.LAND_PROPERTY: ["Kadastr hujjatlaridagi maydon maʼlumotlari mos kelmaydi"],
    "KAD-05": ["Yer uchastkasining joylashuv sxemasi kerak"],
    "KOM-03": ["Yer uchastkasining joylashuv sxemasi kerak"],
    "SOC-01": ["Oila aʼzolarining daromadlari haqida maʼlumotnoma yetishmaydi"],
    "SOC-02": ["Oila aʼzolarining daromadlari haqida maʼlumotnoma yetishmaydi"],
    "SOC-03": [
        "Ish haqi haqidagi maʼlumotnomada barcha yillar koʻrsatilmagan",
        "Mehnat daftarchasidagi yozuvni arxiv maʼlumotnomasi bilan tasdiqlash kerak",
    ],
    "SOC-04": ["Davolovchi shifokorning 088-shakldagi xulosasi ilova qilinmagan"],
    "BIZ-02": ["Ustavning yangi tahriri imzolanmagan"],
    "BIZ-03": ["Soliq qarzdorligi yoʻqligi haqida maʼlumotnoma kerak"],
    "BIZ-04": ["Savdo obyektining sanitariya-epidemiologik xulosasi muddati oʻtgan"],
}
REJECTIONS: dict[str, list[str]] = {
    "default": [
        "Taqdim etilgan hujjatlar talablarga javob bermaydi",
        "Soʻralgan maʼlumotlar belgilangan muddatda taqdim etilmadi",
    ],
    "fee": [],
    "FHDY-04": ["Er-xotinning voyaga yetmagan farzandi bor — ish sud tartibida koʻriladi"],
    C.LAND_PROPERTY: ["Huquqni belgilovchi hujjatda mulkdor maʼlumotlari mos kelmaydi"],
    "KAD-01": ["Yer uchastkasi boshqa shaxsga biriktirilgan", "Arizachi oilasi nomida uy-joy mavjud"],
    "SOC-01": ["Oilaning oʻrtacha oylik daromadi belgilangan mezondan yuqori"],
    "SOC-02": [
        "Oilaning oʻrtacha oylik daromadi belgilangan mezondan yuqori",
        "Oila yaqinda moddiy yordam olgan — takroriy murojaat muddati kelmagan",
    ],
    "SOC-03": ["Pensiya tayinlash uchun mehnat staji yetarli emas"],
    "SOC-04": ["Yoʻllanma berish uchun tibbiy koʻrsatma mavjud emas"],
    "BIZ-03": ["Soliq qarzdorligi mavjud"],
    "BIZ-04": ["Savdo obyekti taʼlim muassasasiga yaqin joylashgan", "Soliq qarzdorligi mavjud"],
    "ARX-01": ["Arxivda soʻralgan davr boʻyicha hujjatlar mavjud emas"],
}

# Registration district codes of the PINFL (digits 8–10), per center: mostly the local one, a few from elsewhere.
_PINFL_DISTRICTS = {
    "bakhmal": ["121", "122"],
    "sariosiyo": ["221", "224"],
    "dehkanabad": ["171", "173"],
    "xovos": ["241", "243"],
    "nurafshon": ["271", "276"],
}

# Office hours of the counters (local time): receptions fall on half-hour slots, fewer at lunch.
_SLOTS = [(hour, minute) for hour in range(9, 18) for minute in (0, 30) if (hour, minute) < (17, 30)]
_SLOT_WEIGHTS = [0.5 if hour == 13 else 1.3 if hour in (10, 11, 15) else 1.0 for hour, _minute in _SLOTS]
_DAY_WEIGHTS = {0: 1.3, 1: 1.15, 2: 1.0, 3: 1.0, 4: 0.9, 5: 0.5, 6: 0.3}


# --------------------------------------------------------------------------------------------------------------
# Catalog


def _differs(obj: models.Model, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _service_values(data: ServiceData, *, template: bool, currency: str) -> dict:
    agency = AGENCIES[data.agency]
    return {
        **data.names.fields(),
        **data.documents.fields(),
        "category": data.category,
        "fee": Decimal(data.fee).quantize(Decimal("0.01")),
        "currency": currency,
        "deadline_working_days": data.days,
        "responsible_agency": agency.en,
        "responsible_agency_en": agency.en,
        "responsible_agency_ru": agency.ru,
        "responsible_agency_uz": agency.uz,
        "responsible_agency_uz_cyrl": agency.uz_cyrl,
        "responsible_agency_ky": agency.ky,
        "channel": data.channel,
        "is_active": True,
        "is_template": template,
        "template_code": "" if template else data.code,
    }


def _save_catalog(organization: Organization, *, template: bool) -> tuple[dict[str, Service], int]:
    """Create or update the organization's copy of the catalog; saves a service only when it changed."""
    existing = {service.code: service for service in Service.objects.filter(organization=organization)}
    services: dict[str, Service] = {}
    written = 0
    for data in CATALOG:
        values = _service_values(data, template=template, currency=organization.country.currency)
        service = existing.get(data.code)
        if service is None:
            service = Service(organization=organization, code=data.code)
        elif not _differs(service, values):
            services[data.code] = service
            continue
        for name, value in values.items():
            setattr(service, name, value)
        service.save()
        written += 1
        services[data.code] = service
    return services, written


# --------------------------------------------------------------------------------------------------------------
# Applications


class _Calendar:
    """Working days of a country around today, read once; due dates through :func:`add_working_days`, cached."""

    def __init__(self, country: Country, start: datetime.date, end: datetime.date):
        self.country = country
        self.days = [
            start + datetime.timedelta(days=offset)
            for offset in range((end - start).days + 1)
            if is_working_day(country, start + datetime.timedelta(days=offset))
        ]
        self.index = {day: i for i, day in enumerate(self.days)}
        self._due: dict[tuple[datetime.date, int], datetime.date] = {}

    def shift(self, day: datetime.date, working_days: int) -> datetime.date | None:
        """The working day ``working_days`` after the working day ``day``; None beyond the loaded window."""
        position = self.index[day] + working_days
        return self.days[position] if position < len(self.days) else None

    def due(self, day: datetime.date, working_days: int) -> datetime.date:
        key = (day, working_days)
        if key not in self._due:
            self._due[key] = add_working_days(self.country, day, working_days)
        return self._due[key]


@dataclass
class _Event:
    status: str
    at: datetime.datetime
    actor: User
    comment: str = ""


@dataclass
class _Draft:
    service: Service
    data: ServiceData
    received_at: datetime.datetime
    due_date: datetime.date
    assigned: User
    registered_by: User
    decider: User
    events: list[_Event] = field(default_factory=list)


class _Clock:
    """Event times on the working-day calendar, strictly increasing, in the country's time zone."""

    def __init__(self, calendar: _Calendar, tz: ZoneInfo, rng: random.Random):
        self.calendar = calendar
        self.tz = tz
        self.rng = rng

    def on(self, day: datetime.date, *, earliest: tuple[int, int] = (9, 0)) -> datetime.datetime:
        start = earliest[0] * 60 + earliest[1]
        minute = self.rng.randint(start, max(start, 17 * 60 + 50))
        return datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), tzinfo=self.tz)

    def after(self, previous: datetime.datetime, working_days: int) -> datetime.datetime | None:
        """A moment ``working_days`` working days after ``previous`` (0: later the same day, or the next morning)."""
        local = previous.astimezone(self.tz)
        if working_days == 0:
            moment = local + datetime.timedelta(minutes=self.rng.randint(5, 150))
            if moment.date() == local.date() and moment.time() <= datetime.time(18, 0):
                return moment
            day = self.calendar.shift(local.date(), 1)
            return None if day is None else self.on(day, earliest=(9, 0))
        day = self.calendar.shift(local.date(), working_days)
        return None if day is None else self.on(day)

    def at_least(self, previous: datetime.datetime, day: datetime.date | None) -> datetime.datetime | None:
        """On ``day`` if that is after ``previous``'s day, else later the same day as ``previous``."""
        if day is None:
            return None
        if day > previous.astimezone(self.tz).date():
            return self.on(day)
        return self.after(previous, 0)


def _reason(options: dict[str, list[str]], data: ServiceData, rng: random.Random) -> str:
    specific = options.get(data.code, []) + options.get(data.category, [])
    general = options["default"] + (options["fee"] if data.fee else [])
    return rng.choice(specific if specific and rng.random() < 0.7 else general)


def _timeline(draft: _Draft, clock: _Clock, rng: random.Random) -> list[_Event]:
    """The whole life of an application as it will have happened, later cut at now."""
    data = draft.data
    worker, decider = draft.assigned, draft.decider
    received = draft.received_at
    events = [_Event(S.RECEIVED, received, draft.registered_by)]

    def add(status: str, at: datetime.datetime | None, actor: User, comment: str = "") -> bool:
        if at is None:
            return False
        events.append(_Event(status, at, actor, comment))
        return True

    quick = data.days <= 1
    if not add(S.IN_REVIEW, clock.after(received, 0 if quick or rng.random() < 0.7 else 1), worker):
        return events
    if rng.random() < data.info_rate:
        reason = _reason(INFO_REQUESTS, data, rng)
        if not add(S.NEEDS_INFO, clock.after(events[-1].at, rng.choice((0, 0, 1))), worker, reason):
            return events
        if not add(S.IN_REVIEW, clock.after(events[-1].at, rng.randint(1, 6)), worker):
            return events
    received_day = received.astimezone(clock.tz).date()
    if rng.random() < 0.03:  # decided late
        offset = data.days + rng.randint(1, 5)
    else:
        offset = rng.randint(min(data.days, max(0, data.days // 3)), data.days)
    decided = clock.at_least(events[-1].at, clock.calendar.shift(received_day, offset))
    if rng.random() < data.reject_rate:
        if add(S.REJECTED, decided, decider, _reason(REJECTIONS, data, rng)) and rng.random() < 0.7:
            add(S.CLOSED, clock.after(events[-1].at, rng.randint(1, 10)), worker)
        return events
    if not add(S.APPROVED, decided, decider) or rng.random() < 0.01:  # a citizen who never came back
        return events
    pickup = 0 if quick or rng.random() < 0.4 else rng.choice((1, 1, 2, 2, 3, 5, 8))
    if add(S.ISSUED, clock.after(events[-1].at, pickup), worker) and rng.random() < 0.85:
        add(S.CLOSED, clock.after(events[-1].at, rng.randint(1, 15)), worker)
    return events


def _stall(draft: _Draft, clock: _Clock, rng: random.Random, now: datetime.datetime) -> None:
    """Keep an application waiting past its due date: received, in review or waiting for the citizen."""
    first_decision = next(i for i, e in enumerate(draft.events) if e.status in (S.APPROVED, S.REJECTED))
    kind = rng.choices((S.RECEIVED, S.IN_REVIEW, S.NEEDS_INFO), weights=(15, 55, 30))[0]
    events = draft.events[:1] if kind == S.RECEIVED else draft.events[:first_decision]
    if kind == S.NEEDS_INFO and events[-1].status == S.IN_REVIEW:
        at = clock.after(events[-1].at, 0)
        if at is not None and at <= now:
            events.append(_Event(S.NEEDS_INFO, at, draft.assigned, _reason(INFO_REQUESTS, draft.data, rng)))
    draft.events = events


def _addresses(center: Organization) -> list[str]:
    """Address prefixes in the center's district: the district, then the town or a mahalla."""
    district = center.district
    city = district.kind == DistrictKind.CITY
    prefixes = []
    for settlement in Settlement.objects.filter(district=district).order_by("pk"):
        if settlement.kind == SettlementKind.TOWN:
            prefixes.append(
                district.name_uz if city else f"{district.name_uz}, {settlement.name_uz} shaharchasi"
            )
        else:
            prefixes.append(f"{district.name_uz}, {settlement.name_uz}")
    return prefixes or [district.name_uz]


def _language(rng: random.Random, age: int, city: bool) -> str:
    roll = rng.random()
    cyrillic = 0.3 if age >= 50 else 0.06
    russian = 0.15 if city else 0.05
    if roll < cyrillic:
        return "uz-cyrl"
    if roll < cyrillic + russian:
        return "ru"
    return "uz"


def _received_days(calendar: _Calendar, today: datetime.date, now_local: datetime.datetime):
    """The working days applications arrive on, with weights: busier early in the week, growing over the pilot."""
    first = today - datetime.timedelta(days=HISTORY_DAYS)
    days = [day for day in calendar.days if first <= day < today]
    if today in calendar.index and now_local.time() > datetime.time(9, 30):
        days.append(today)
    weights = []
    for position, day in enumerate(days):
        weight = _DAY_WEIGHTS[day.weekday()] * (0.8 + 0.4 * position / max(1, len(days) - 1))
        if day == today:
            weight *= min(1.0, (now_local.hour * 60 + now_local.minute - 540) / 510)
        weights.append(weight)
    return days, weights


def _generate(
    center: Organization,
    count: int,
    services: dict[str, Service],
    users: dict[str, User],
    calendar: _Calendar,
    now: datetime.datetime,
) -> list[_Draft]:
    rng = random.Random(f"khizmat-demo-{center.code}")
    tz = ZoneInfo(center.country.time_zone)
    now_local = now.astimezone(tz)
    today = now_local.date()
    clock = _Clock(calendar, tz, rng)
    catalog = [data for data in CATALOG if data.code in services]
    service_weights = [data.weight * rng.uniform(0.6, 1.4) for data in catalog]
    days, day_weights = _received_days(calendar, today, now_local)
    if not days:
        return []
    operator, manager, admin = users[Role.OPERATOR], users[Role.MANAGER], users[Role.ADMIN]

    drafts = []
    for day in rng.choices(days, weights=day_weights, k=count):
        data = rng.choices(catalog, weights=service_weights)[0]
        if day == today:
            latest = max(540, min(1049, now_local.hour * 60 + now_local.minute - 1))
            minute = rng.randint(540, latest)
            received = datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), tzinfo=tz)
            received = min(received, now - datetime.timedelta(seconds=1))
        else:
            hour, minute = rng.choices(_SLOTS, weights=_SLOT_WEIGHTS)[0]
            received = datetime.datetime.combine(
                day, datetime.time(hour, minute + rng.randint(0, 29), rng.randint(0, 59)), tzinfo=tz
            )
        assigned = rng.choices((operator, manager, admin), weights=(80, 13, 7))[0]
        draft = _Draft(
            service=services[data.code],
            data=data,
            received_at=received,
            due_date=calendar.due(day, data.days),
            assigned=assigned,
            registered_by=assigned if rng.random() < 0.9 else operator,
            decider=manager if assigned == operator else assigned,
        )
        draft.events = [event for event in _timeline(draft, clock, rng) if event.at <= now]
        drafts.append(draft)

    # About 4% of the pending applications are overdue (at least one per center), the rest decided in time.
    def overdue(draft: _Draft) -> bool:
        return draft.events[-1].status in PENDING_DECISION and draft.due_date < today

    pending = sum(draft.events[-1].status in PENDING_DECISION for draft in drafts)
    late = sum(overdue(draft) for draft in drafts)
    wanted = max(1 - late, round((0.04 * pending - late) / 0.96))
    if wanted > 0:
        candidates = sorted(
            (
                d
                for d in drafts
                if d.due_date < today and any(e.status in (S.APPROVED, S.REJECTED) for e in d.events)
            ),
            key=lambda d: d.due_date,
            reverse=True,
        )[: max(10, 3 * wanted)]
        for draft in rng.sample(candidates, min(wanted, len(candidates))):
            _stall(draft, clock, rng, now)
    return drafts


def _application(
    draft: _Draft, center: Organization, number: str, rng: random.Random, addresses: list[str], city: bool
) -> Application:
    name, pinfl, age = uzbek_person(
        rng, draft.received_at.date(), draft.data.ages, _PINFL_DISTRICTS.get(center.code, ["100"])
    )
    status = draft.events[-1].status
    decided_at = next((e.at for e in reversed(draft.events) if e.status in (S.APPROVED, S.REJECTED)), None)
    finished_at = next((e.at for e in draft.events if e.status in (S.REJECTED, S.ISSUED)), None)
    fee = draft.service.fee
    if fee == 0:
        fee_status, fee_amount = FeeStatus.FREE, Decimal("0")
    else:
        roll = rng.random()
        fee_amount = fee
        if roll < 0.05:
            fee_status = FeeStatus.EXEMPT
        elif status == S.RECEIVED and roll < 0.4:
            fee_status = FeeStatus.DUE
        else:
            fee_status = FeeStatus.PAID
    phone = "" if rng.random() < 0.03 else f"+998{rng.choice(MOBILE_CODES)}{rng.randint(0, 9_999_999):07d}"
    address = f"{rng.choice(addresses)}, {rng.choice(STREETS)} koʻchasi, {rng.randint(1, 120)}-uy"
    return Application(
        organization=center,
        number=number,
        service=draft.service,
        status=status,
        applicant_name=name,
        applicant_id_number=pinfl,
        applicant_phone=phone,
        applicant_address=address,
        applicant_language=_language(rng, age, city),
        fee_amount=fee_amount,
        currency=draft.service.currency,
        fee_status=fee_status,
        received_at=draft.received_at,
        due_date=draft.due_date,
        decided_at=decided_at,
        finished_at=finished_at,
        registered_by=draft.registered_by,
        assigned_to=draft.assigned,
        search_key=search_keys(name, pinfl),
    )


def _last_numbers(center: Organization, prefix: str, years: set[int]) -> dict[int, int]:
    """The highest number already used per year: the counter, or an existing application's number if higher."""
    last = dict.fromkeys(years, 0)
    keys = {f"application:{year}": year for year in years}
    for key, value in NumberSequence.objects.filter(organization=center, key__in=keys).values_list(
        "key", "last_value"
    ):
        last[keys[key]] = value
    for year in years:
        for number in Application.objects.filter(
            organization=center, number__startswith=f"{prefix}-{year}-"
        ).values_list("number", flat=True):
            tail = number.rsplit("-", 1)[-1]
            if tail.isdigit():
                last[year] = max(last[year], int(tail))
    return last


def _save_applications(center: Organization, drafts: list[_Draft], addresses: list[str]) -> int:
    drafts.sort(key=lambda draft: draft.received_at)
    rng = random.Random(f"khizmat-demo-{center.code}-applicants")
    city = center.district.kind == DistrictKind.CITY
    tz = ZoneInfo(center.country.time_zone)
    prefix = application_number_prefix(center)
    years = {draft.received_at.astimezone(tz).year for draft in drafts}
    last = _last_numbers(center, prefix, years)
    used = dict(last)
    applications = []
    for draft in drafts:
        year = draft.received_at.astimezone(tz).year
        used[year] += 1
        applications.append(
            _application(draft, center, f"{prefix}-{year}-{used[year]:06d}", rng, addresses, city)
        )
    Application.objects.bulk_create(applications, batch_size=1000)
    if any(application.pk is None for application in applications):  # a backend that returns no keys
        ids = dict(
            Application.objects.filter(
                organization=center, number__in=[a.number for a in applications]
            ).values_list("number", "pk")
        )
        for application in applications:
            application.pk = ids[application.number]
    transitions = []
    for draft, application in zip(drafts, applications, strict=True):
        previous = ""
        for event in draft.events:
            transitions.append(
                ApplicationTransition(
                    organization=center,
                    application=application,
                    from_status=previous,
                    to_status=event.status,
                    actor=event.actor,
                    at=event.at,
                    comment=event.comment,
                )
            )
            previous = event.status
    ApplicationTransition.objects.bulk_create(transitions, batch_size=1000)
    for year, value in used.items():
        if value == last[year]:
            continue
        sequence, _created = NumberSequence.objects.get_or_create(
            organization=center, key=f"application:{year}"
        )
        if sequence.last_value < value:
            NumberSequence.objects.filter(pk=sequence.pk, organization=center).update(last_value=value)
    return len(transitions)


# --------------------------------------------------------------------------------------------------------------
# The step


@register
def build_service_centers(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    """The national catalog at the agency, its copy at each pilot center and ``1500 × scale`` applications per
    center over the last six months. A center that already has that many applications gets no more."""
    now = timezone.now()
    wanted = round(APPLICATIONS_PER_CENTER * scale)
    with scopes_disabled():
        organizations = {
            organization.code: organization
            for organization in Organization.objects.filter(
                code__in=[AGENCY_CODE, *CENTER_CODES]
            ).select_related("country", "region", "district")
        }
        agency = organizations.get(AGENCY_CODE)
        if agency is not None:
            _templates, written = _save_catalog(agency, template=True)
            stdout.write(
                f"National service catalog ({AGENCY_CODE}): {len(CATALOG)} templates, {written} written."
            )

        calendars: dict[int, _Calendar] = {}
        for code in CENTER_CODES:
            center = organizations.get(code)
            if center is None or center.kind != OrganizationKind.SERVICE_CENTER:
                continue
            services, _written = _save_catalog(center, template=False)
            existing = Application.objects.filter(organization=center).count()
            if existing >= wanted:
                stdout.write(
                    f"Service center {code}: {len(services)} services, {existing} applications (none added)."
                )
                continue
            usernames = {f"{code}.{role}": role for role in (Role.OPERATOR, Role.MANAGER, Role.ADMIN)}
            users = {usernames[user.username]: user for user in User.objects.filter(username__in=usernames)}
            country = center.country
            if country.pk not in calendars:
                today = timezone.localdate(now, ZoneInfo(country.time_zone))
                calendars[country.pk] = _Calendar(
                    country,
                    today - datetime.timedelta(days=HISTORY_DAYS + 7),
                    today + datetime.timedelta(days=HISTORY_DAYS),
                )
            drafts = _generate(center, wanted - existing, services, users, calendars[country.pk], now)
            transitions = _save_applications(center, drafts, _addresses(center))
            statuses = Counter(draft.events[-1].status for draft in drafts)
            summary = ", ".join(f"{status} {statuses[status]}" for status in S.values if statuses[status])
            stdout.write(
                f"Service center {code}: {len(services)} services, {existing + len(drafts)} applications "
                f"({len(drafts)} added: {summary}; {transitions} steps)."
            )
    return []


__all__ = ["CATALOG", "build_service_centers"]
