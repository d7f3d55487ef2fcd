"""Demo data of citizens' feedback: ratings of served tickets and issued applications, and the complaints they led to.

About a third of the citizens served at a window rate the visit on the tablet, and one in ten whose documents were
issued rates the application through the QR code on the receipt. Scores average about 4.3 and differ a little per
operator; a long wait makes a low score likelier. Every score of 1 or 2 opens a case, and each center also gets
about two written complaints a month. The manager answers most cases within five working days; recent cases are
mostly still open, and a few old ones are overdue. Comments, complaints and answers are in Uzbek Latin and
illustrative, like the citizens' names and phones.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from khizmat.core.demo import DemoLogin, register
from khizmat.feedback.choices import CaseKind, CaseStatus, RatingChannel
from khizmat.feedback.models import ANSWER_WORKING_DAYS, LOW_RATING_AT_MOST, FeedbackCase, Rating
from khizmat.queue.choices import TicketStatus
from khizmat.queue.demo import CENTER_CODES
from khizmat.queue.models import QueueTicket
from khizmat.services.choices import ApplicationStatus
from khizmat.services.models import Application
from khizmat.tenancy.calendar import add_working_days, is_working_day
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.models import Country, Organization, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

RATED_TICKETS = 0.35
RATED_APPLICATIONS = 0.10
COMPLAINTS_PER_MONTH = 2
COMPLAINT_DAYS = 183  # the period of the applications' history
RECENT_DAYS = 7  # cases younger than this are mostly still open

# Score weights 1–5: mean about 4.3, five the most common, one or two about 6%.
_SCORE_WEIGHTS = (3.0, 2.8, 10.0, 30.0, 54.0)
_COMMENT_RATE = {1: 0.8, 2: 0.75, 3: 0.4, 4: 0.15, 5: 0.2}

_PRAISE = [
    "Xodim juda xushmuomala, hammasini tushuntirib berdi. Rahmat!",
    "Tez va sifatli xizmat koʻrsatildi.",
    "Navbat tez yurdi, hujjatlarim oʻsha kuni qabul qilindi.",
    "Operator barcha savollarimga sabr bilan javob berdi.",
    "Markaz toza va qulay, xizmat aʼlo darajada.",
    "Katta rahmat, hamma narsa tushunarli va tez boʻldi.",
    "Elektron navbat juda qulay ekan, uzoq kutmadim.",
    "Guvohnomani vaʼda qilingan kuni olib ketdim. Rahmat!",
    "Keksa otamga alohida eʼtibor berishdi, minnatdormiz.",
]
_MIXED = [
    "Xizmat yaxshi, lekin navbatda uzoq kutdim.",
    "Hujjatlarni qabul qilishdi, ammo qaysi hujjat kerakligini oldindan aytishmagan edi.",
    "Umuman yomon emas, lekin zalda oʻtirish uchun joy kam.",
    "Tabloda raqamim kech chiqdi, ovozi eshitilmadi.",
    "Xodim yaxshi, lekin tizim sekin ishladi.",
]
_COMPLAINTS_SHORT = [
    "Navbatda bir soatga yaqin kutdim, oynalarning yarmi yopiq edi.",
    "Xodim qoʻpol muomala qildi, savolimga javob bermadi.",
    "Hujjatlarim yoʻqolib qoldi, qayta topshirishga majbur boʻldim.",
    "Maʼlumotnoma vaʼda qilingan muddatda tayyor boʻlmadi.",
    "Tushlik vaqtida oyna yopiq boʻldi, hech kim tushuntirmadi.",
    "Davlat boji haqida notoʻgʻri maʼlumot berishdi, ikki marta kelishimga toʻgʻri keldi.",
    "Operator telefonda gaplashib oʻtirdi, meni kuttirib qoʻydi.",
    "Juda uzoq kutdim, keyin boshqa oynaga yuborishdi.",
]
_COMPLAINTS = [
    "Ertalab soat 10 da keldim, navbatim faqat 11 dan keyin keldi. Oʻsha paytda faqat ikkita oyna ishlayotgan "
    "edi. Iltimos, eng gavjum soatlarda barcha oynalarni ochib qoʻying.",
    "Yer uchastkasiga oid arizam boʻyicha belgilangan muddat oʻtib ketdi, lekin hali ham javob yoʻq. "
    "Telefon qilsam, hech kim koʻtarmaydi.",
    "Markaz binosiga kirishda nogironlar aravachasi uchun pandus yoʻq. Onamni olib kirishda juda qiynaldik.",
    "Bolalar nafaqasi uchun hujjat topshirganimda xodim menga notoʻgʻri roʻyxat berdi. Uch marta qaytib "
    "kelishimga toʻgʻri keldi.",
    "Kioskda chipta qogʻozi tugab qolgan ekan, hech kim yordam bermadi.",
    "Tugʻilganlik haqidagi guvohnomada ismim xato yozilgan. Tuzatish uchun yana davlat boji toʻlashimni "
    "talab qilishdi, bu adolatsizlik.",
    "Xodim hujjatlarimni tezroq rasmiylashtirish uchun qoʻshimcha pul soʻradi. Bu holatni tekshirishingizni "
    "soʻrayman.",
    "Zal juda issiq, konditsioner ishlamayapti. Keksalar uchun oʻrindiqlar yetarli emas.",
    "SMS xabarnoma kelmadi, arizam tayyor boʻlganini tasodifan bildim.",
    "Ruxsatnoma olish uchun topshirgan arizam ikki haftadan beri koʻrib chiqilmoqda, holati haqida hech "
    "qanday maʼlumot yoʻq.",
    "Navbat tablosi ishlamayapti, raqamlar eshitilmaydi va koʻrinmaydi.",
    "Pensiya hujjatlarini topshirishda xodim faqat rus tilida gapirdi, men tushunmadim. Oʻzbek tilida "
    "tushuntirishlarini soʻrayman.",
    "Kadastr pasporti uchun kelganimda tizim ishlamayapti deb ertaga kelishimni aytishdi. Ikki kun ishdan "
    "javob soʻrab keldim.",
]
_ANSWERS = [
    "Hurmatli fuqaro, fikringiz uchun rahmat. Holat oʻrganib chiqildi, xodim bilan suhbat oʻtkazildi. "
    "Xizmat sifatini yaxshilash choralarini koʻramiz.",
    "Hurmatli fuqaro, noqulaylik uchun uzr soʻraymiz. Endi eng gavjum soatlarda barcha oynalar ishlaydi.",
    "Murojaatingiz koʻrib chiqildi. Arizangiz boʻyicha hujjatlar tayyor, ularni istalgan ish kunida olib "
    "ketishingiz mumkin.",
    "Hurmatli fuqaro, siz bilan telefon orqali bogʻlanildi va masala joyida hal etildi.",
    "Xodimga intizomiy chora koʻrildi. Bunday holat takrorlanmasligini taʼminlaymiz.",
    "Kiosk va tablo texnik xizmatdan oʻtkazildi, endi ular toʻliq ishlamoqda.",
    "Kerakli hujjatlar roʻyxati markaz zalida va saytda eʼlon qilindi. Savollaringiz boʻlsa, 1-oynaga "
    "murojaat qiling.",
    "Murojaatingiz boʻyicha tegishli idoraga soʻrov yuborildi, natijasi haqida SMS orqali xabar beramiz.",
]
_CITIZENS_FIRST = [
    "Dilnoza",
    "Gulnora",
    "Malika",
    "Nodira",
    "Zulfiya",
    "Sherzod",
    "Bahodir",
    "Jasur",
    "Otabek",
    "Rustam",
    "Ulugʻbek",
    "Sardor",
]
_CITIZENS_LAST = ["Karimov", "Yusupov", "Rahimov", "Toshmatov", "Ergashev", "Qodirov", "Xolmatov", "Normatov"]
_FEMALE = {"Dilnoza", "Gulnora", "Malika", "Nodira", "Zulfiya"}
_MOBILE_CODES = ["90", "91", "93", "94", "97", "99"]


class _Days:
    """The country's working days and answer due dates, each asked once."""

    def __init__(self, country: Country):
        self.country = country
        self._working: dict[datetime.date, bool] = {}
        self._due: dict[datetime.date, datetime.date] = {}

    def working(self, day: datetime.date) -> bool:
        if day not in self._working:
            self._working[day] = is_working_day(self.country, day)
        return self._working[day]

    def due(self, day: datetime.date) -> datetime.date:
        if day not in self._due:
            self._due[day] = add_working_days(self.country, day, ANSWER_WORKING_DAYS)
        return self._due[day]

    def shift(self, day: datetime.date, working_days: int) -> datetime.date:
        """The ``working_days``-th working day after ``day`` (0: ``day`` itself, or the next working day)."""
        while not self.working(day):
            day += datetime.timedelta(days=1)
        while working_days > 0:
            day += datetime.timedelta(days=1)
            if self.working(day):
                working_days -= 1
        return day


@dataclass
class _Scorer:
    """Scores of one center: each operator a little better or worse than the average."""

    rng: random.Random
    moods: dict[int | None, float]

    def score(self, operator_id: int | None, wait_minutes: float = 0.0) -> int:
        mood = self.moods.setdefault(operator_id, self.rng.uniform(-1.0, 1.0))
        one, two, three, four, five = _SCORE_WEIGHTS
        weights = [one * (1 - 0.4 * mood), two * (1 - 0.4 * mood), three * (1 - 0.25 * mood), four, five]
        weights[4] *= 1 + 0.12 * mood
        if wait_minutes > 30:  # a long wait: low scores likelier
            weights = [weights[0] * 2.5, weights[1] * 2.5, weights[2] * 1.6, weights[3], weights[4] * 0.75]
        return self.rng.choices((1, 2, 3, 4, 5), weights)[0]

    def comment(self, score: int) -> str:
        if self.rng.random() >= _COMMENT_RATE[score]:
            return ""
        if score >= 4:
            return self.rng.choice(_PRAISE)
        if score == 3:
            return self.rng.choice(_MIXED)
        return self.rng.choice(_COMPLAINTS_SHORT)


def _ticket_ratings(
    center: Organization, scorer: _Scorer, rng: random.Random
) -> list[tuple[Rating, int | None]]:
    """Ratings on the tablet a minute after the visit, with the application the ticket led to."""
    tickets = QueueTicket.objects.filter(
        organization=center, status=TicketStatus.SERVED, finished_at__isnull=False
    ).values_list("pk", "operator_id", "issued_at", "called_at", "finished_at", "application_id")
    ratings = []
    for pk, operator_id, issued_at, called_at, finished_at, application_id in sorted(tickets):
        if rng.random() >= RATED_TICKETS:
            continue
        wait = (called_at - issued_at).total_seconds() / 60 if called_at else 0.0
        score = scorer.score(operator_id, wait)
        rating = Rating(
            organization=center,
            score=score,
            comment=scorer.comment(score),
            channel=RatingChannel.COUNTER,
            ticket_id=pk,
            operator_id=operator_id,
            created_at=finished_at + datetime.timedelta(seconds=60 + rng.randint(0, 40)),
        )
        ratings.append((rating, application_id))
    return ratings


def _application_ratings(
    center: Organization, scorer: _Scorer, rng: random.Random, tz: ZoneInfo, now: datetime.datetime
) -> list[tuple[Rating, int | None]]:
    """Ratings through the receipt's QR code, a few days after the documents were issued (never in the future)."""
    applications = Application.objects.filter(
        organization=center,
        status__in=(ApplicationStatus.ISSUED, ApplicationStatus.CLOSED),
        finished_at__isnull=False,
    ).values_list("pk", "assigned_to_id", "finished_at")
    ratings = []
    for pk, operator_id, finished_at in sorted(applications):
        if rng.random() >= RATED_APPLICATIONS:
            continue
        day = finished_at.astimezone(tz).date() + datetime.timedelta(
            days=rng.choice((0, 1, 1, 2, 2, 3, 4, 6))
        )
        minute = rng.randint(8 * 60, 22 * 60)
        created = datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), tzinfo=tz)
        if created <= finished_at:
            created = finished_at + datetime.timedelta(minutes=rng.randint(20, 180))
        if created >= now:
            created = finished_at + (now - finished_at) * rng.uniform(0.2, 0.9)
        score = scorer.score(operator_id)
        rating = Rating(
            organization=center,
            score=score,
            comment=scorer.comment(score),
            channel=RatingChannel.QR,
            application_id=pk,
            operator_id=operator_id,
            created_at=created,
        )
        ratings.append((rating, pk))
    return ratings


def _save_ratings(center: Organization, ratings: list[tuple[Rating, int | None]]) -> None:
    Rating.objects.bulk_create([rating for rating, _application in ratings], batch_size=1000)
    if any(rating.pk is None for rating, _application in ratings):  # a backend that returns no keys
        by_ticket, by_application = {}, {}
        for pk, ticket_id, application_id in Rating.objects.filter(organization=center).values_list(
            "pk", "ticket_id", "application_id"
        ):
            if ticket_id:
                by_ticket[ticket_id] = pk
            else:
                by_application[application_id] = pk
        for rating, _application in ratings:
            rating.pk = (
                by_ticket[rating.ticket_id] if rating.ticket_id else by_application[rating.application_id]
            )


def _complaints(
    center: Organization, days: _Days, rng: random.Random, tz: ZoneInfo, now: datetime.datetime
) -> list[FeedbackCase]:
    """About two written complaints a month, some about an application received before."""
    today = timezone.localdate(now, tz)
    first = today - datetime.timedelta(days=COMPLAINT_DAYS)
    candidates = [
        first + datetime.timedelta(days=offset)
        for offset in range(COMPLAINT_DAYS)
        if days.working(first + datetime.timedelta(days=offset))
    ]
    count = round(COMPLAINTS_PER_MONTH * COMPLAINT_DAYS / 30.4)
    if not candidates:
        return []
    applications = sorted(
        Application.objects.filter(organization=center).values_list("received_at", "pk"),
    )
    cases = []
    for day in sorted(rng.choices(candidates, k=count)):
        minute = rng.randint(9 * 60, 17 * 60 + 50)
        created = datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), tzinfo=tz)
        earlier = [
            pk
            for received_at, pk in applications
            if created - datetime.timedelta(days=60) < received_at < created - datetime.timedelta(hours=1)
        ]
        first_name = rng.choice(_CITIZENS_FIRST)
        last_name = rng.choice(_CITIZENS_LAST) + ("a" if first_name in _FEMALE else "")
        cases.append(
            FeedbackCase(
                organization=center,
                kind=CaseKind.COMPLAINT,
                text=rng.choice(_COMPLAINTS),
                citizen_name=f"{last_name} {first_name}" if rng.random() < 0.75 else "",
                citizen_phone=(
                    f"+998{rng.choice(_MOBILE_CODES)}{rng.randint(0, 9_999_999):07d}"
                    if rng.random() < 0.6
                    else ""
                ),
                application_id=rng.choice(earlier) if earlier and rng.random() < 0.35 else None,
                created_at=created,
                due_date=days.due(day),
            )
        )
    return cases


def _answer(
    cases: list[FeedbackCase],
    manager: User | None,
    days: _Days,
    rng: random.Random,
    tz: ZoneInfo,
    now: datetime.datetime,
) -> None:
    """The manager answers most cases within five working days, a few late; recent cases mostly wait."""
    if manager is None:
        return
    today = timezone.localdate(now, tz)
    recent_since = today - datetime.timedelta(days=RECENT_DAYS)
    old = [case for case in cases if case.created_at.astimezone(tz).date() < recent_since]
    # At least one old case stays unanswered past its due date.
    keep_open = {id(max(old, key=lambda case: case.created_at))} if old else set()
    for case in cases:
        created_day = case.created_at.astimezone(tz).date()
        recent = created_day >= recent_since
        if id(case) in keep_open or rng.random() >= (0.3 if recent else 0.96):
            continue
        if rng.random() < 0.07:  # late
            day = days.shift(case.due_date, rng.randint(1, 4))
        else:
            day = days.shift(created_day, rng.randint(0, ANSWER_WORKING_DAYS))
        minute = rng.randint(9 * 60, 18 * 60)
        answered = datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), tzinfo=tz)
        if answered <= case.created_at:
            answered = case.created_at + datetime.timedelta(minutes=rng.randint(30, 240))
        if answered >= now:
            continue
        case.status = CaseStatus.ANSWERED
        case.answer = rng.choice(_ANSWERS)
        case.answered_by = manager
        case.answered_at = answered


@register
def build_feedback(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    """Ratings of the pilot centers' served tickets and issued applications, and the cases they and the written
    complaints opened. A center that already has ratings or cases gets none."""
    now = timezone.now()
    with scopes_disabled():
        centers = {
            center.code: center
            for center in Organization.objects.filter(
                code__in=CENTER_CODES, kind=OrganizationKind.SERVICE_CENTER
            ).select_related("country")
        }
        calendars: dict[int, _Days] = {}
        for code in CENTER_CODES:
            center = centers.get(code)
            if center is None or scale <= 0:
                continue
            ratings_before = Rating.objects.filter(organization=center).count()
            cases_before = FeedbackCase.objects.filter(organization=center).count()
            if ratings_before or cases_before:
                stdout.write(f"Feedback {code}: {ratings_before} ratings, {cases_before} cases (none added).")
                continue
            tz = ZoneInfo(center.country.time_zone)
            days = calendars.setdefault(center.country_id, _Days(center.country))
            manager = User.objects.filter(username=f"{code}.{Role.MANAGER}").first()
            rng = random.Random(f"khizmat-demo-{code}-feedback")
            scorer = _Scorer(random.Random(f"khizmat-demo-{code}-scores"), {})

            ratings = _ticket_ratings(center, scorer, rng) + _application_ratings(
                center, scorer, rng, tz, now
            )
            _save_ratings(center, ratings)
            cases = [
                FeedbackCase(
                    organization=center,
                    kind=CaseKind.LOW_RATING,
                    text=rating.comment,
                    rating_id=rating.pk,
                    application_id=application_id,
                    created_at=rating.created_at,
                    due_date=days.due(rating.created_at.astimezone(tz).date()),
                )
                for rating, application_id in ratings
                if rating.score <= LOW_RATING_AT_MOST
            ]
            cases += _complaints(center, days, rng, tz, now)
            _answer(cases, manager, days, rng, tz, now)
            FeedbackCase.objects.bulk_create(cases, batch_size=1000)

            scores = Counter(rating.score for rating, _application in ratings)
            average = sum(score * n for score, n in scores.items()) / max(1, len(ratings))
            today = timezone.localdate(now, tz)
            open_cases = [case for case in cases if case.status == CaseStatus.OPEN]
            overdue = sum(case.due_date < today for case in open_cases)
            stdout.write(
                f"Feedback {code}: {len(ratings)} ratings (average {average:.2f}), {len(cases)} cases "
                f"({len(open_cases)} open, {overdue} overdue)."
            )
    return []


__all__ = ["build_feedback"]
