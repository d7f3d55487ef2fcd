"""Ratings and complaints from citizens (no login) and managers' answers."""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import field_rule, normalize_phone
from khizmat.feedback.choices import CaseKind, CaseStatus, RatingChannel
from khizmat.feedback.kpis import SOURCE as KPI_SOURCE
from khizmat.feedback.models import ANSWER_WORKING_DAYS, LOW_RATING_AT_MOST, FeedbackCase, Rating
from khizmat.monitoring.services import kpi_touch
from khizmat.notifications.services import sms_queue
from khizmat.queue.choices import TicketStatus
from khizmat.queue.models import QueueTicket
from khizmat.services.choices import ApplicationStatus
from khizmat.services.models import Application
from khizmat.tenancy.calendar import add_working_days
from khizmat.tenancy.localtime import local_date, local_today
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.permissions import require_permission

# An application is served once the citizen has its result (issued, or closed) or its refusal: from then on the
# receipt's link rates it; before, the visit is not over (a complaint can be written at any time).
APPLICATION_SERVED = frozenset(
    {ApplicationStatus.ISSUED, ApplicationStatus.CLOSED, ApplicationStatus.REJECTED}
)


def application_can_be_rated(application: Application) -> bool:
    return application.status in APPLICATION_SERVED


def _answer_due(organization: Organization):
    return add_working_days(organization.country, local_today(organization), ANSWER_WORKING_DAYS)


@transaction.atomic
def rating_submit(
    *,
    organization: Organization,
    score: int,
    comment: str = "",
    ticket: QueueTicket | None = None,
    application: Application | None = None,
) -> Rating:
    """Record a citizen's rating of a served ticket or an application; a second rating of the same one is refused.

    A rating of 1 or 2 opens a case the manager must answer within five working days.
    """
    if (ticket is None) == (application is None):
        raise DomainError(_("A rating is given for one visit."), code="rating_target")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Choose a score from 1 to 5."), code="score")
    target = ticket or application
    if target.organization_id != organization.pk:
        raise DomainError(_("This visit belongs to another organization."), code="foreign")
    if ticket is not None and ticket.status != TicketStatus.SERVED:
        raise DomainError(_("Only a finished visit can be rated."), code="not_served")
    if application is not None and not application_can_be_rated(application):
        raise DomainError(
            _("You can rate the service once your application has been served."), code="not_served"
        )
    existing = Rating.objects.filter(organization=organization)
    if (
        existing.filter(ticket=ticket).exists()
        if ticket
        else existing.filter(application=application).exists()
    ):
        raise DomainError(_("This visit has been rated already. Thank you!"), code="already_rated")
    rating = Rating(
        organization=organization,
        score=score,
        comment=comment.strip()[:2000],
        channel=RatingChannel.COUNTER if ticket else RatingChannel.QR,
        ticket=ticket,
        application=application,
        operator=ticket.operator if ticket else application.assigned_to,
        created_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as error:  # a concurrent second submit
        raise DomainError(_("This visit has been rated already. Thank you!"), code="already_rated") from error
    kpi_touch(
        organization_id=organization.pk,
        source=KPI_SOURCE,
        days=[local_date(rating.created_at, organization)],
    )
    if score <= LOW_RATING_AT_MOST:
        FeedbackCase.objects.create(
            organization=organization,
            kind=CaseKind.LOW_RATING,
            text=rating.comment,
            rating=rating,
            application=application or (ticket.application if ticket else None),
            created_at=rating.created_at,
            due_date=_answer_due(organization),
        )
    return rating


@transaction.atomic
def complaint_submit(
    *,
    organization: Organization,
    text: str,
    citizen_name: str = "",
    citizen_phone: str = "",
    application: Application | None = None,
) -> FeedbackCase:
    """A citizen's written complaint: the manager must answer it within five working days."""
    text = text.strip()
    if len(text) < 10:
        raise DomainError(_("Describe the problem in a few words (at least 10 letters)."), code="too_short")
    with field_rule("citizen_phone"):
        phone = normalize_phone(citizen_phone, country_code=organization.country.code)
    if application is not None and application.organization_id != organization.pk:
        raise DomainError(_("This visit belongs to another organization."), code="foreign")
    now = timezone.now()
    kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[local_date(now, organization)])
    return FeedbackCase.objects.create(
        organization=organization,
        kind=CaseKind.COMPLAINT,
        text=text[:4000],
        citizen_name=citizen_name.strip()[:255],
        citizen_phone=phone,
        citizen_language=translation.get_language() or "",
        application=application,
        created_at=now,
        due_date=_answer_due(organization),
    )


@transaction.atomic
def case_answer(*, actor: User, case: FeedbackCase, answer: str) -> FeedbackCase:
    require_permission(actor, case.organization, "feedback.answer")
    case = FeedbackCase.objects.select_for_update().get(pk=case.pk, organization=case.organization_id)
    if case.status == CaseStatus.ANSWERED:
        raise DomainError(_("This complaint has been answered already."), code="answered")
    answer = answer.strip()
    if len(answer) < 5:
        raise DomainError(_("Write the answer the citizen will receive."), code="answer_required")
    case.status = CaseStatus.ANSWERED
    case.answer = answer
    case.answered_by = actor
    case.answered_at = timezone.now()
    case._history_user = actor
    case.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    kpi_touch(
        organization_id=case.organization_id,
        source=KPI_SOURCE,
        days=[local_date(case.answered_at, case.organization)],
    )
    phone = case.citizen_phone or (case.application.applicant_phone if case.application_id else "")
    if phone:
        language = case.citizen_language or (
            case.application.applicant_language if case.application_id else ""
        )
        with translation.override(language or "uz"):
            text = _("Answer from %(center)s to your complaint: %(answer)s") % {
                "center": str(case.organization),
                "answer": answer[:600],
            }
        sms_queue(
            organization=case.organization,
            phone=phone,
            language=language or "uz",
            text=text,
            event="complaint_answered",
            reference=f"#{case.pk}",
        )
    return case
