"""``khizmat demo`` sets up the pilot centers' queues with a plausible ticket history, ratings and complaints."""

from django.db.models import Count
from django.utils import timezone

from khizmat.feedback.choices import CaseKind, RatingChannel
from khizmat.feedback.models import FeedbackCase, Rating
from khizmat.queue.choices import TicketStatus
from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup
from khizmat.queue.services import ticket_issue
from khizmat.tenancy.calendar import add_working_days, is_working_day
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scopes_disabled

CENTERS = ("bakhmal", "sariosiyo", "dehkanabad", "xovos", "nurafshon")
LANGUAGES = ("en", "ru", "uz", "uz_cyrl", "ky")


def test_each_center_gets_a_queue_and_a_consistent_ticket_history_with_feedback(demo_data, db):
    today = timezone.localdate()

    with scopes_disabled():
        for code in CENTERS:
            center = Organization.objects.select_related("country").get(code=code)
            groups = {group.letter: group for group in ServiceGroup.objects.filter(organization=center)}
            assert sorted(groups) == ["A", "B", "C", "D"], code
            for group in groups.values():
                assert all(getattr(group, f"name_{language}") for language in LANGUAGES), group.letter
                assert "'" not in group.name_uz
            counters = {c.number: c.group_letters for c in Counter.objects.filter(organization=center)}
            assert counters == {1: "A", 2: "AB", 3: "BC", 4: "CD"}, code
            screens = list(QueueScreen.objects.filter(organization=center))
            kinds = sorted(screen.kind for screen in screens)
            assert kinds == ["board", "kiosk"] + ["tablet"] * 4, code
            tablets = {screen.counter.number for screen in screens if screen.kind == QueueScreen.Kind.TABLET}
            assert tablets == {1, 2, 3, 4}

            tickets = list(
                QueueTicket.objects.filter(organization=center).select_related("counter", "operator")
            )
            assert tickets, code
            working = {day: is_working_day(center.country, day) for day in {t.day for t in tickets}}
            for ticket in tickets:
                assert ticket.day < today and working[ticket.day], ticket.day
                assert ticket.issued_at == ticket.waiting_since
                assert ticket.issued_at <= ticket.called_at <= ticket.last_called_at <= ticket.finished_at
                assert ticket.code == f"{ticket.group.letter}-{ticket.sequence:03d}"
                assert ticket.group.letter in ticket.counter.group_letters
                assert ticket.operator.username in (f"{code}.operator", f"{code}.manager")
                if ticket.status == TicketStatus.SERVED:
                    assert ticket.called_at <= ticket.serving_started_at <= ticket.finished_at
                else:
                    assert ticket.status == TicketStatus.NO_SHOW and ticket.serving_started_at is None
        duplicates = (
            QueueTicket.objects.values("organization", "day", "group", "code")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not duplicates.exists()

        ratings = list(Rating.objects.select_related("organization__country"))
        assert ratings and {rating.channel for rating in ratings} <= set(RatingChannel.values)
        assert all(1 <= rating.score <= 5 for rating in ratings)
        tickets = [rating.ticket_id for rating in ratings if rating.ticket_id]
        applications = [rating.application_id for rating in ratings if rating.application_id]
        assert len(tickets) == len(set(tickets)) and len(applications) == len(set(applications))
        served = set(
            QueueTicket.objects.filter(pk__in=tickets, status=TicketStatus.SERVED).values_list(
                "pk", flat=True
            )
        )
        assert served == set(tickets)
        cases = {case.rating_id: case for case in FeedbackCase.objects.filter(kind=CaseKind.LOW_RATING)}
        for rating in ratings:
            if rating.score <= 2:
                case = cases[rating.pk]
                assert case.created_at == rating.created_at
                day = timezone.localdate(rating.created_at)
                assert case.due_date == add_working_days(rating.organization.country, day, 5)
        assert len(cases) == sum(rating.score <= 2 for rating in ratings)
        complaints = FeedbackCase.objects.filter(kind=CaseKind.COMPLAINT)
        assert set(complaints.values_list("organization__code", flat=True)) == set(CENTERS)
        for case in FeedbackCase.objects.filter(answered_at__isnull=False):
            assert case.created_at < case.answered_at <= timezone.now() and case.answer


def test_rerunning_adds_nothing_and_live_issuing_starts_at_one(demo_data, db):
    models = (ServiceGroup, Counter, QueueScreen, QueueTicket, Rating, FeedbackCase)
    assert demo_data.added_by_second_run(*models) == {}
    with scopes_disabled():
        center = Organization.objects.get(code="bakhmal")
        group = ServiceGroup.objects.get(organization=center, letter="A")
        assert not QueueTicket.objects.filter(organization=center, day=timezone.localdate()).exists()
        assert ticket_issue(organization=center, group=group).code == "A-001"
