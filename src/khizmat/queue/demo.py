"""Demo data of the counter queue: service groups, windows, screens and two months of tickets at each pilot center.

Every pilot center gets the same set-up — groups A–D, four windows, a ticket kiosk, a display board and a rating
tablet at each window — and a history of tickets on the working days of the last 60 days, generated set-based
(``bulk_create``) and deterministically per center. Today's queue is left empty: live issuing starts at A-001.

Waits are longest in the late-morning rush (10:00–12:00) and on Mondays; about 7% of the citizens called do not
come to the window. Some served tickets are linked to an application the center received around the same time.
"""

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from khizmat.core.demo import DemoLogin, register
from khizmat.queue.choices import TicketStatus
from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup
from khizmat.services.choices import ServiceCategory
from khizmat.services.models import Application
from khizmat.tenancy.calendar import is_working_day
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.demo import Names
from khizmat.tenancy.models import Country, Organization, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

CENTER_CODES = ("bakhmal", "sariosiyo", "dehkanabad", "xovos", "nurafshon")
HISTORY_DAYS = 60
TICKETS_PER_DAY = 120
NO_SHOW_RATE = 0.07
# The center whose kiosk and board links the demo prints.
SHOWCASE_CENTER = "bakhmal"

# Queue lines: English, Russian, Uzbek Latin, Uzbek Cyrillic, Kyrgyz.
GROUPS: dict[str, Names] = {
    "A": Names(
        "Civil registry (FHDY)",
        "Регистрация актов гражданского состояния (ЗАГС)",
        "Fuqarolik holati dalolatnomalari (FHDYo)",
        "Фуқаролик ҳолати далолатномалари (ФҲДЁ)",
        "Жарандык абалдын актыларын каттоо",
    ),
    "B": Names(
        "Land and property",
        "Земля и недвижимость",
        "Yer va koʻchmas mulk",
        "Ер ва кўчмас мулк",
        "Жер жана кыймылсыз мүлк",
    ),
    "C": Names(
        "Social benefits",
        "Социальные пособия",
        "Ijtimoiy nafaqalar",
        "Ижтимоий нафақалар",
        "Социалдык жөлөкпулдар",
    ),
    "D": Names(
        "Business and permits",
        "Предпринимательство и разрешения",
        "Tadbirkorlik va ruxsatnomalar",
        "Тадбиркорлик ва рухсатномалар",
        "Ишкердик жана уруксаттар",
    ),
}
# Window number → letters of the groups it calls.
COUNTERS: dict[int, str] = {1: "A", 2: "AB", 3: "BC", 4: "CD"}
KIOSK_NAME = "Kiosk at the entrance"
BOARD_NAME = "TV in the hall"
TABLET_NAME = "Tablet at window {number}"

# The categories of the catalog each group's citizens apply for (to link served tickets to applications).
GROUP_CATEGORIES: dict[str, tuple[str, ...]] = {
    "A": (ServiceCategory.CIVIL_REGISTRY, ServiceCategory.IDENTITY),
    "B": (ServiceCategory.LAND_PROPERTY, ServiceCategory.HOUSING_UTILITIES),
    "C": (ServiceCategory.SOCIAL,),
    "D": (ServiceCategory.BUSINESS, ServiceCategory.TRANSPORT, ServiceCategory.OTHER),
}

# Tickets are issued 09:00–17:00, most in the late-morning rush.
_HOUR_WEIGHTS = {9: 0.9, 10: 1.5, 11: 1.55, 12: 1.15, 13: 0.7, 14: 1.0, 15: 1.1, 16: 0.8}
# Median wait in minutes by hour of issue; Mondays are busiest.
_WAIT_MEDIAN = {9: 6.0, 10: 16.0, 11: 21.0, 12: 15.0, 13: 8.0, 14: 9.0, 15: 11.0, 16: 8.0}
_DAY_LOAD = {0: 1.25, 1: 1.1, 2: 1.0, 3: 1.0, 4: 0.9, 5: 0.8, 6: 0.8}
_GROUP_WEIGHTS = {"A": 35, "B": 25, "C": 25, "D": 15}
# Service time in minutes per group: triangular (shortest, longest, most common).
_SERVICE_MINUTES = {"A": (3, 18, 7), "B": (5, 25, 12), "C": (4, 20, 9), "D": (5, 25, 13)}
# Windows that serve a single group take most of its tickets.
_DEDICATED_WEIGHT = 1.8


@dataclass
class _Ticket:
    letter: str
    sequence: int
    issued_at: datetime.datetime
    called_at: datetime.datetime
    last_called_at: datetime.datetime
    call_count: int
    serving_started_at: datetime.datetime | None
    finished_at: datetime.datetime
    counter: int
    operator: User | None
    application_id: int | None = None

    @property
    def served(self) -> bool:
        return self.serving_started_at is not None


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _setup(center: Organization) -> tuple[dict[str, ServiceGroup], dict[int, Counter], list[QueueScreen]]:
    """Groups, windows and screens of ``center``: created when missing, saved only when their data changed.

    Screens are looked up by kind and name and never saved again, so their secret links stay valid.
    """
    groups = {group.letter: group for group in ServiceGroup.objects.filter(organization=center)}
    for letter, names in GROUPS.items():
        values = names.fields()
        group = groups.get(letter)
        if group is None:
            group = ServiceGroup(organization=center, letter=letter)
        elif not _differs(group, values):
            continue
        for name, value in values.items():
            setattr(group, name, value)
        group.save()
        groups[letter] = group

    counters = {counter.number: counter for counter in Counter.objects.filter(organization=center)}
    for number, letters in COUNTERS.items():
        counter = counters.get(number)
        if counter is None:
            counter = Counter(organization=center, number=number)
        elif counter.group_letters == letters:
            continue
        counter.group_letters = letters
        counter.save()
        counters[number] = counter

    existing = {
        (screen.kind, screen.name): screen for screen in QueueScreen.objects.filter(organization=center)
    }
    wanted = [
        (QueueScreen.Kind.KIOSK, KIOSK_NAME, None),
        (QueueScreen.Kind.BOARD, BOARD_NAME, None),
        *(
            (QueueScreen.Kind.TABLET, TABLET_NAME.format(number=number), counters[number])
            for number in COUNTERS
        ),
    ]
    screens = []
    for kind, name, counter in wanted:
        screen = existing.get((kind, name))
        if screen is None:
            screen = QueueScreen(organization=center, kind=kind, name=name, counter=counter, language="uz")
            screen.save()
        screens.append(screen)
    return groups, counters, screens


class _WorkingDays:
    """``is_working_day`` per country and date, asked once."""

    def __init__(self):
        self._known: dict[tuple[int, datetime.date], bool] = {}

    def __call__(self, country: Country, day: datetime.date) -> bool:
        key = (country.pk, day)
        if key not in self._known:
            self._known[key] = is_working_day(country, day)
        return self._known[key]


def _operators(users: dict[str, User], days: list[datetime.date], rng: random.Random) -> dict:
    """Who works at each window on each day: the operator, and on some days the manager at one window."""
    operator, manager = users.get(Role.OPERATOR), users.get(Role.MANAGER)
    staffing = {}
    for day in days:
        relief = rng.choice(list(COUNTERS)) if manager is not None and rng.random() < 0.3 else None
        for number in COUNTERS:
            staffing[day, number] = manager if number == relief else operator
    return staffing


def _day_tickets(
    day: datetime.date,
    count: int,
    tz: ZoneInfo,
    rng: random.Random,
    center_load: float,
    staffing: dict,
) -> list[_Ticket]:
    hours, hour_weights = list(_HOUR_WEIGHTS), list(_HOUR_WEIGHTS.values())
    letters, letter_weights = list(_GROUP_WEIGHTS), list(_GROUP_WEIGHTS.values())
    windows = {
        letter: [number for number, served in COUNTERS.items() if letter in served]
        for letter in _GROUP_WEIGHTS
    }
    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=tz)
    seconds = sorted(hour * 3600 + rng.randint(0, 3599) for hour in rng.choices(hours, hour_weights, k=count))
    sequences = dict.fromkeys(letters, 0)
    day_load = _DAY_LOAD[day.weekday()] * center_load * rng.uniform(0.85, 1.15)
    tickets = []
    for second in seconds:
        letter = rng.choices(letters, letter_weights)[0]
        sequences[letter] += 1
        issued = midnight + datetime.timedelta(seconds=second)
        hour = second // 3600
        wait = rng.lognormvariate(0, 0.45) * _WAIT_MEDIAN[hour] * day_load
        wait_seconds = round(60 * min(45.0, max(2.0, wait))) + rng.randint(0, 59)
        called = issued + datetime.timedelta(seconds=min(wait_seconds, 45 * 60))
        options = windows[letter]
        number = rng.choices(options, [_DEDICATED_WEIGHT if len(COUNTERS[n]) == 1 else 1.0 for n in options])[
            0
        ]
        if rng.random() < NO_SHOW_RATE:
            calls = rng.choice((1, 2, 2, 3))
            last_called = called + datetime.timedelta(
                seconds=sum(rng.randint(60, 150) for _ in range(calls - 1))
            )
            started = None
            finished = last_called + datetime.timedelta(seconds=rng.randint(60, 180))
        else:
            calls = 1 if rng.random() < 0.9 else 2
            last_called = called + datetime.timedelta(seconds=rng.randint(40, 120) if calls == 2 else 0)
            started = last_called + datetime.timedelta(seconds=rng.randint(15, 120))
            low, high, mode = _SERVICE_MINUTES[letter]
            finished = started + datetime.timedelta(seconds=round(60 * rng.triangular(low, high, mode)))
        tickets.append(
            _Ticket(
                letter=letter,
                sequence=sequences[letter],
                issued_at=issued,
                called_at=called,
                last_called_at=last_called,
                call_count=calls,
                serving_started_at=started,
                finished_at=finished,
                counter=number,
                operator=staffing[day, number],
            )
        )
    return tickets


def _link_applications(
    center: Organization, tickets: dict[datetime.date, list[_Ticket]], tz: ZoneInfo, rng: random.Random
) -> int:
    """Link about two in three applications received on a ticket day to the served ticket closest in time."""
    if not tickets:
        return 0
    letter_of = {
        category: letter for letter, categories in GROUP_CATEGORIES.items() for category in categories
    }
    first, last = min(tickets), max(tickets)
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tzinfo=tz)
    rows = Application.objects.filter(
        organization=center, received_at__gte=start, received_at__lt=end
    ).values_list("pk", "received_at", "service__category")
    linked = 0
    for pk, received_at, category in sorted(rows, key=lambda row: (row[1], row[0])):
        day_tickets = tickets.get(received_at.astimezone(tz).date())
        if not day_tickets or rng.random() > 0.65:
            continue
        letter = letter_of.get(category, "D")
        candidates = [
            ticket
            for ticket in day_tickets
            if ticket.served and ticket.letter == letter and ticket.application_id is None
        ]
        if not candidates:
            continue
        best = min(
            candidates, key=lambda ticket: abs((ticket.serving_started_at - received_at).total_seconds())
        )
        if abs((best.serving_started_at - received_at).total_seconds()) <= 45 * 60:
            best.application_id = pk
            linked += 1
    return linked


def _history(
    center: Organization,
    per_day: int,
    groups: dict[str, ServiceGroup],
    counters: dict[int, Counter],
    users: dict[str, User],
    working: _WorkingDays,
    now: datetime.datetime,
) -> tuple[str, int, int]:
    """Tickets of the working days of the last ``HISTORY_DAYS`` days before today; skipped if any exist."""
    tz = ZoneInfo(center.country.time_zone)
    today = timezone.localdate(now, tz)
    first = today - datetime.timedelta(days=HISTORY_DAYS)
    days = [
        first + datetime.timedelta(days=offset)
        for offset in range(HISTORY_DAYS)
        if working(center.country, first + datetime.timedelta(days=offset))
    ]
    existing = QueueTicket.objects.filter(organization=center, day__gte=first, day__lt=today).count()
    if existing or not days or per_day <= 0:
        return f"{existing} tickets in the last {HISTORY_DAYS} days (none added)", existing, 0

    rng = random.Random(f"khizmat-demo-{center.code}-queue")
    center_load = rng.uniform(0.8, 1.2)
    staffing = _operators(users, days, rng)
    tickets = {day: _day_tickets(day, per_day, tz, rng, center_load, staffing) for day in days}
    linked = _link_applications(center, tickets, tz, rng)

    rows = []
    for day, day_tickets in tickets.items():
        for ticket in day_tickets:
            rows.append(
                QueueTicket(
                    organization=center,
                    group=groups[ticket.letter],
                    day=day,
                    sequence=ticket.sequence,
                    code=f"{ticket.letter}-{ticket.sequence:03d}",
                    status=TicketStatus.SERVED if ticket.served else TicketStatus.NO_SHOW,
                    issued_at=ticket.issued_at,
                    waiting_since=ticket.issued_at,
                    called_at=ticket.called_at,
                    last_called_at=ticket.last_called_at,
                    call_count=ticket.call_count,
                    serving_started_at=ticket.serving_started_at,
                    finished_at=ticket.finished_at,
                    counter=counters[ticket.counter],
                    operator=ticket.operator,
                    application_id=ticket.application_id,
                )
            )
    QueueTicket.objects.bulk_create(rows, batch_size=1000)
    served = sum(row.status == TicketStatus.SERVED for row in rows)
    summary = (
        f"{len(rows)} tickets on {len(days)} working days added: {served} served, {len(rows) - served} did not "
        f"come, {linked} linked to applications"
    )
    return summary, len(rows), linked


@register
def build_queues(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    """Groups A–D, windows 1–4, a kiosk, a board and four rating tablets per pilot center, and the tickets of the
    last 60 days (``120 × scale`` a working day). A center that already has tickets in that period gets none."""
    now = timezone.now()
    per_day = max(1, round(TICKETS_PER_DAY * scale)) if scale > 0 else 0
    working = _WorkingDays()
    with scopes_disabled():
        centers = {
            center.code: center
            for center in Organization.objects.filter(
                code__in=CENTER_CODES, kind=OrganizationKind.SERVICE_CENTER
            ).select_related("country")
        }
        for code in CENTER_CODES:
            center = centers.get(code)
            if center is None:
                continue
            groups, counters, screens = _setup(center)
            usernames = {f"{code}.{role}": role for role in (Role.OPERATOR, Role.MANAGER)}
            users = {usernames[user.username]: user for user in User.objects.filter(username__in=usernames)}
            summary, _count, _linked = _history(center, per_day, groups, counters, users, working, now)
            stdout.write(
                f"Queue {code}: {len(groups)} groups, {len(counters)} windows, {len(screens)} screens; {summary}."
            )
            if code == SHOWCASE_CENTER:
                for screen in screens:
                    if screen.kind in (QueueScreen.Kind.KIOSK, QueueScreen.Kind.BOARD):
                        url = reverse(
                            f"queue:{screen.kind}", kwargs={"org_code": code, "token": screen.token}
                        )
                        stdout.write(f"  {screen.name} ({code}): {url}")
    return []


__all__ = ["CENTER_CODES", "COUNTERS", "GROUPS", "build_queues"]
