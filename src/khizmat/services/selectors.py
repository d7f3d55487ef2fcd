"""Read-side queries of the service catalog and applications. Every query filters by organization explicitly."""

import datetime

from django.db.models import Case, Count, Q, QuerySet, Value, When

from khizmat.core.search import key_condition
from khizmat.services.choices import OPEN_STATUSES
from khizmat.services.models import PENDING_DECISION, Application, ApplicationTransition, Service
from khizmat.tenancy.calendar import add_working_days
from khizmat.tenancy.localtime import local_day_start
from khizmat.tenancy.models import Membership, Organization

DUE_SOON_WORKING_DAYS = 2


def service_list(
    *, organization: Organization, query: str = "", category: str = "", active_only: bool = False
):
    services = Service.objects.filter(organization=organization)
    if category:
        services = services.filter(category=category)
    if active_only:
        services = services.filter(is_active=True)
    if query:
        services = services.filter(Q(code__icontains=query) | Q(name__icontains=query))
    return services.order_by("category", "code")


def due_soon_limit(*, organization: Organization, today: datetime.date) -> datetime.date:
    return add_working_days(organization.country, today, DUE_SOON_WORKING_DAYS)


def application_list(
    *,
    organization: Organization,
    status: str = "",
    assigned_to=None,
    query: str = "",
    overdue_on: datetime.date | None = None,
    due_by: datetime.date | None = None,
) -> QuerySet[Application]:
    applications = Application.objects.filter(organization=organization).select_related(
        "service", "assigned_to"
    )
    if status:
        applications = applications.filter(status=status)
    if assigned_to is not None:
        applications = applications.filter(assigned_to=assigned_to)
    if overdue_on is not None:
        applications = applications.filter(status__in=PENDING_DECISION, due_date__lt=overdue_on)
    if due_by is not None:
        applications = applications.filter(status__in=PENDING_DECISION, due_date__lte=due_by)
    query = query.strip()
    if query:
        # By number or ID number, or the applicant's name in any script and any order of its words; callers order
        # by ``search_rank`` to put the exact names first.
        exact = Q(number__iexact=query) | Q(applicant_id_number=query.replace(" ", ""))
        by_name = key_condition("search_key", query, min_length=1)
        if by_name is None:
            return applications.filter(exact).annotate(search_rank=Value(0))
        condition, rank = by_name
        applications = applications.filter(exact | condition).annotate(
            search_rank=Case(When(exact, then=Value(0)), default=rank)
        )
    return applications


def application_list_overdue(*, organization: Organization, today: datetime.date) -> QuerySet[Application]:
    return application_list(organization=organization, overdue_on=today).order_by("due_date", "received_at")


def application_list_due_soon(*, organization: Organization, today: datetime.date) -> QuerySet[Application]:
    limit = due_soon_limit(organization=organization, today=today)
    return (
        application_list(organization=organization, due_by=limit)
        .filter(due_date__gte=today)
        .order_by("due_date", "received_at")
    )


def application_transition_list(*, application: Application) -> QuerySet[ApplicationTransition]:
    return (
        ApplicationTransition.objects.filter(
            organization=application.organization_id, application=application
        )
        .select_related("actor")
        .order_by("at", "pk")
    )


def operator_load(*, organization: Organization, today: datetime.date) -> list[dict]:
    """Per person who can process applications: open, overdue, due soon, and finished in the last 30 days."""
    limit = due_soon_limit(organization=organization, today=today)
    month_ago = today - datetime.timedelta(days=30)
    since = local_day_start(month_ago, organization)
    counts = {
        row["assigned_to"]: row
        for row in Application.objects.filter(organization=organization, assigned_to__isnull=False)
        .values("assigned_to")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=PENDING_DECISION, due_date__lt=today)),
            due_soon=Count(
                "pk", filter=Q(status__in=PENDING_DECISION, due_date__gte=today, due_date__lte=limit)
            ),
            # From local midnight, not ``finished_at__date``: SQLite would cast every row's date in Python.
            finished=Count("pk", filter=Q(finished_at__gte=since)),
        )
        .order_by()
    }
    members = (
        Membership.objects.filter(organization=organization, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    rows = []
    for membership in members:
        if not membership.has_permission("applications.process"):
            continue
        row = counts.get(membership.user_id, {})
        rows.append(
            {
                "membership": membership,
                "user": membership.user,
                "open": row.get("open", 0),
                "overdue": row.get("overdue", 0),
                "due_soon": row.get("due_soon", 0),
                "finished": row.get("finished", 0),
            }
        )
    return rows


def assignable_members(*, organization: Organization) -> list[Membership]:
    members = Membership.objects.filter(organization=organization, is_active=True).select_related("user")
    return [m for m in members.order_by("user__last_name") if m.has_permission("applications.process")]


def application_find_for_citizen(*, number: str, phone: str) -> Application | None:
    """The application with this number whose applicant gave this phone (public tracking, across tenants).

    Both must match; the number alone reveals nothing. The phone may be written in any form the registration
    accepts (``901234563``, ``0555 12 34 56``, ``+998…``): it is normalized the same way. One of the few deliberate
    ``scopes_disabled`` places.
    """
    from khizmat.core.fieldrules import phone_candidates
    from khizmat.tenancy.scoping import scopes_disabled

    phones = phone_candidates(phone)
    if not phones or not number.strip():
        return None
    with scopes_disabled():
        return (
            Application.objects.filter(number=number.strip(), applicant_phone__in=phones)
            .select_related("service", "organization")
            .first()
        )


def application_public_steps(*, application: Application) -> list[ApplicationTransition]:
    """Steps a citizen may see: statuses and dates, with the reasons given to them (more information, rejection)."""
    from khizmat.tenancy.scoping import scope

    with scope(organization=[application.organization_id]):
        return list(application_transition_list(application=application))
