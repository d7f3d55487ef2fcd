"""Ratings after service (tablet or QR), one per visit; low ratings and complaints become cases to answer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.feedback import services
from khizmat.feedback.choices import CaseKind, CaseStatus
from khizmat.feedback.links import application_feedback_path, application_token
from khizmat.feedback.models import FeedbackCase, Rating
from khizmat.feedback.tests.factories import FeedbackCaseFactory
from khizmat.queue import services as queue_services
from khizmat.queue.models import QueueScreen
from khizmat.queue.tests.factories import CounterFactory, QueueScreenFactory, ServiceGroupFactory
from khizmat.services.choices import ApplicationStatus
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.calendar import working_days_between
from khizmat.tenancy.roles import Role


@pytest.fixture
def served_ticket(org_a, operator_a):
    group = ServiceGroupFactory(organization=org_a, letter="A")
    window = CounterFactory(organization=org_a, number=1, group_letters="A")
    queue_services.ticket_issue(organization=org_a, group=group)
    ticket = queue_services.ticket_call_next(actor=operator_a, counter=window)
    return queue_services.ticket_finish(actor=operator_a, ticket=ticket)


def test_a_served_ticket_is_rated_once(org_a, served_ticket, operator_a):
    rating = services.rating_submit(organization=org_a, ticket=served_ticket, score=5)
    assert rating.operator == operator_a
    with pytest.raises(DomainError) as error:
        services.rating_submit(organization=org_a, ticket=served_ticket, score=1)
    assert error.value.code == "already_rated"
    assert Rating.objects.filter(organization=org_a).count() == 1


def test_an_application_is_rated_once_through_its_qr_link(org_a, client):
    application = ApplicationFactory(organization=org_a, status=ApplicationStatus.ISSUED)
    url = application_feedback_path(application)

    assert client.get(url).status_code == 200
    assert client.post(url, {"score": "4", "comment": "Tez va xushmuomala"}).status_code == 200
    second = client.post(url, {"score": "1"})

    assert second.status_code == 400
    assert Rating.objects.get(organization=org_a, application=application).score == 4


@pytest.mark.parametrize("score", [0, 6, "x", None])
def test_scores_outside_one_to_five_are_refused(org_a, score):
    with pytest.raises(DomainError):
        services.rating_submit(
            organization=org_a,
            application=ApplicationFactory(organization=org_a, status=ApplicationStatus.ISSUED),
            score=score,
        )


def test_a_low_rating_opens_a_case_due_in_five_working_days(org_a):
    application = ApplicationFactory(organization=org_a, status=ApplicationStatus.REJECTED)
    services.rating_submit(organization=org_a, application=application, score=2, comment="Uzoq kutdim")
    case = FeedbackCase.objects.get(organization=org_a)
    assert case.kind == CaseKind.LOW_RATING
    assert case.application == application
    assert working_days_between(org_a.country, timezone.localdate(), case.due_date) == 5


def test_an_application_is_rated_only_once_served_in_the_applicants_language(org_a, client, settings):
    application = ApplicationFactory(organization=org_a, applicant_language="ru")
    url = application_feedback_path(application)

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "ru" and 'id="not-served"' in page.content.decode()
    assert client.post(url, {"score": "5"}).status_code == 400
    with pytest.raises(DomainError) as error:
        services.rating_submit(organization=org_a, application=application, score=5)
    assert error.value.code == "not_served"
    assert not Rating.objects.exists()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # a language the visitor chose wins
    assert client.get(url)["Content-Language"] == "en"


def test_a_tampered_link_is_not_found(org_a, client):
    token = application_token(ApplicationFactory(organization=org_a))
    assert client.get(reverse("feedback:rate_application", args=[token[:-2] + "xx"])).status_code == 404


def test_a_complaint_through_the_link(org_a, client):
    application = ApplicationFactory(organization=org_a)
    url = reverse("feedback:complaint", args=[application_token(application)])
    response = client.post(
        url, {"text": "Navbat juda uzun, operator yoʻq edi.", "citizen_phone": "+998901234567"}
    )
    assert response.status_code == 200
    case = FeedbackCase.objects.get(organization=org_a)
    assert case.kind == CaseKind.COMPLAINT
    assert case.citizen_phone == "+998901234567"


def test_public_pages_are_rate_limited(org_a, client):
    application = ApplicationFactory(organization=org_a)
    url = reverse("feedback:complaint", args=[application_token(application)])
    statuses = [client.post(url, {"text": "short"}).status_code for _ in range(21)]
    assert statuses[-1] == 429


def test_the_tablet_shows_the_just_served_ticket_and_takes_its_rating(org_a, served_ticket, client):
    tablet = QueueScreenFactory(
        organization=org_a, kind=QueueScreen.Kind.TABLET, counter=served_ticket.counter
    )
    url = reverse("feedback:tablet", args=[org_a.code, tablet.token])

    page = client.get(url).content.decode()
    assert served_ticket.code in page

    response = client.post(url, {"ticket": served_ticket.pk, "score": "5"})
    assert response.status_code == 200
    thanks = response.content.decode()
    assert (
        f'http-equiv="refresh" content="5;url={url}"' in thanks
    )  # back to the rating screen for the next one
    assert "hx-trigger" not in thanks  # no polling meanwhile
    assert 'role="status"' not in client.get(url).content.decode()  # the "thank you" is gone
    assert Rating.objects.get(organization=org_a).ticket == served_ticket
    assert served_ticket.code not in client.get(url).content.decode()


def test_manager_answers_a_case(org_a, member, client):
    case = FeedbackCaseFactory(organization=org_a)
    manager = member(org_a, Role.MANAGER)
    client.force_login(manager)

    response = client.post(
        reverse("feedback:case_detail", args=[case.pk]), {"answer": "Kechirasiz, navbat tizimi tuzatildi."}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert case.answered_by == manager
    with pytest.raises(DomainError):
        services.case_answer(actor=manager, case=case, answer="Again, once more")


def test_auditors_read_but_cannot_answer(org_a, member):
    case = FeedbackCaseFactory(organization=org_a)
    with pytest.raises(PermissionDenied):
        services.case_answer(actor=member(org_a, Role.AUDITOR), case=case, answer="I am an auditor")


def test_overdue_cases_are_counted(org_a, member, client):
    FeedbackCaseFactory(organization=org_a, due_date=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(member(org_a, Role.MANAGER))
    response = client.get(reverse("feedback:case_list"))
    assert response.context["overdue_count"] == 1


def test_scores_per_month_and_operator(org_a, operator_a, member, client):
    for score in (5, 3):
        services.rating_submit(
            organization=org_a,
            application=ApplicationFactory(
                organization=org_a, assigned_to=operator_a, status=ApplicationStatus.CLOSED
            ),
            score=score,
        )
    client.force_login(member(org_a, Role.MANAGER))
    scores = client.get(reverse("feedback:scores")).context["scores"]
    assert scores["overall"][0][1:] == (4.0, 2)
    assert scores["operators"][0]["user"] == operator_a


def test_the_answer_reaches_the_citizen_by_sms(
    org_a, member, client, django_capture_on_commit_callbacks, settings
):
    from khizmat.notifications.models import SmsMessage

    application = ApplicationFactory(
        organization=org_a, applicant_phone="+998901234567", applicant_language="ru"
    )
    case = FeedbackCaseFactory(organization=org_a, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_answer(
            actor=member(org_a, Role.MANAGER), case=case, answer="Оператор получил замечание."
        )
    message = SmsMessage.objects.get(organization=org_a, event="complaint_answered")
    assert "Оператор получил замечание." in message.text
    assert message.status == "sent"
