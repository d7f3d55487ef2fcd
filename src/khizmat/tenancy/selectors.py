"""Read-side queries of the tenancy app."""

import datetime

from django.db.models import Count, Q, QuerySet

from khizmat.core.search import key_match, search_key
from khizmat.tenancy import cache as tenancy_cache
from khizmat.tenancy.models import (
    CalendarDay,
    Country,
    District,
    Membership,
    Organization,
    Region,
    Settlement,
)
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled


def membership_list_for_user(user) -> list[Membership]:
    """The user's active memberships in active organizations, across tenants (the user's own rows).

    Every request needs them (the tenant middleware), so they are kept in the cache for
    ``TENANCY_CACHE_SECONDS``; saving or deleting a membership or an organization drops them at once
    (:mod:`khizmat.tenancy.cache`).
    """
    if not user.is_authenticated:
        return []

    def load():
        with scopes_disabled():
            return list(
                Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
                .select_related(
                    "organization", "organization__country", "coverage_region", "coverage_country"
                )
                .order_by("organization__name", "pk")
            )

    return tenancy_cache.current(tenancy_cache.memberships_key(user.pk), load)


def active_organization_by_code(code: str) -> Organization | None:
    """An active organization by its code (public device pages and Open311 address organizations so)."""
    if not code:
        return None
    return tenancy_cache.current(
        tenancy_cache.organization_key(code),
        lambda: Organization.objects.filter(code=code, is_active=True).select_related("country").first(),
    )


def organization_ids_visible_to_membership(membership: Membership | None) -> list[int]:
    """Organizations whose rows this membership may read.

    Monitors read aggregates over their region or country (or, without coverage, the organizations their own
    organization oversees); every other role sees its own organization only.
    """
    if membership is None or not membership.is_active:
        return []
    if membership.role != Role.MONITOR:
        return [membership.organization_id]
    organizations = Organization.objects.filter(is_active=True)
    if membership.coverage_region_id:
        organizations = organizations.filter(region_id=membership.coverage_region_id)
    elif membership.coverage_country_id:
        organizations = organizations.filter(country_id=membership.coverage_country_id)
    else:
        organizations = organizations.filter(oversight_received__overseer_id=membership.organization_id)
    ids = set(organizations.values_list("pk", flat=True))
    ids.add(membership.organization_id)
    return sorted(ids)


def organization_ids_visible_to(user) -> list[int]:
    ids: set[int] = set()
    for membership in membership_list_for_user(user):
        ids.update(organization_ids_visible_to_membership(membership))
    return sorted(ids)


def membership_list(*, organization: Organization, query: str = "", role: str = "") -> QuerySet[Membership]:
    memberships = Membership.objects.for_organization(organization).select_related("user")
    if role:
        memberships = memberships.filter(role=role)
    if search_key(query):
        memberships = key_match(memberships, "user__search_key", query, min_length=1)
        return memberships.order_by("search_rank", "role", "user__last_name", "user__first_name")
    return memberships.order_by("role", "user__last_name", "user__first_name")


def organization_list_overseen(*, organization: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(oversight_received__overseer=organization).order_by("name")


def organization_list_overseers(*, organization: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(oversight_given__overseen=organization).order_by("name")


def place_search(*, query: str, limit: int = 20) -> dict[str, list]:
    """Regions, districts, settlements and organizations whose name, in any script or spelling, holds every word of
    ``query``; whole names first, then names that start with it (see :func:`khizmat.core.search.key_match`)."""
    if len(search_key(query)) < 2:
        return {"regions": [], "districts": [], "settlements": [], "organizations": []}

    def best(queryset):
        return list(key_match(queryset, "search_key", query).order_by("search_rank", "name", "pk")[:limit])

    return {
        "regions": best(Region.objects.select_related("country")),
        "districts": best(District.objects.select_related("region")),
        "settlements": best(Settlement.objects.select_related("district", "district__region")),
        "organizations": best(Organization.objects.filter(is_active=True).select_related("region")),
    }


def people_search(*, organization_ids: list[int], query: str, limit: int = 20) -> list[Membership]:
    """Colleagues by name in any script or spelling and in any order of their names ("Karimov Shoxrux" or
    "Шохрух Каримов"); exact and prefix matches first."""
    memberships = Membership.objects.filter(organization_id__in=organization_ids).select_related(
        "user", "organization"
    )
    return list(
        key_match(memberships, "user__search_key", query).order_by(
            "search_rank", "user__last_name", "user__first_name", "pk"
        )[:limit]
    )


def calendar_day_list(*, country: Country, year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(country=country, date__year=year).order_by("date")


def monitoring_summary(*, organization_ids: list[int]) -> dict:
    """Read-only aggregates over the organizations a monitor covers."""
    organizations = Organization.objects.filter(pk__in=organization_ids)
    by_kind = list(organizations.values("kind").annotate(total=Count("pk")).order_by("kind"))
    # Group by id, then name each region through its model so that the name comes in the reader's language.
    region_totals = dict(organizations.values_list("region_id").annotate(total=Count("pk")).order_by())
    regions = Region.objects.select_related("country").in_bulk([pk for pk in region_totals if pk is not None])
    by_region = sorted(
        ({"region": regions.get(pk), "total": total} for pk, total in region_totals.items()),
        key=lambda row: (row["region"] is None, str(row["region"] or "")),
    )
    staff = {
        row["organization_id"]: row
        for row in Membership.objects.filter(organization_id__in=organization_ids, is_active=True)
        .values("organization_id")
        .annotate(total=Count("pk"), managers=Count("pk", filter=Q(role=Role.MANAGER)))
        .order_by()
    }
    rows = [
        {
            "organization": organization,
            "staff": staff.get(organization.pk, {}).get("total", 0),
            "managers": staff.get(organization.pk, {}).get("managers", 0),
        }
        for organization in organizations.select_related("region").order_by("name")
    ]
    return {"organizations": len(rows), "by_kind": by_kind, "by_region": by_region, "rows": rows}


def calendar_exceptions(
    *, country: Country, start: datetime.date, end: datetime.date
) -> dict[datetime.date, str]:
    return dict(
        CalendarDay.objects.filter(country=country, date__range=(start, end)).values_list("date", "kind")
    )


def personal_data_access_list(
    *,
    organization,
    user_id: int | None = None,
    record_type: str = "",
    record: str = "",
    person: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """Who saw whose full personal data, newest first: by user, record (type, number or id), person (their ID
    number, phone or e-mail as stored) and day (inclusive)."""
    from khizmat.tenancy.models import PersonalDataAccess
    from khizmat.tenancy.privacy import records_of_person

    rows = PersonalDataAccess.objects.for_organization(organization).select_related("user")
    if user_id:
        rows = rows.filter(user_id=user_id)
    if record_type:
        rows = rows.filter(record_type=record_type)
    if record:
        record = record.strip()
        by_label = Q(record_label=record)
        rows = rows.filter(by_label | Q(record_id=int(record)) if record.isdigit() else by_label)
    if person:
        rows = rows.filter(records_of_person(organization=organization, value=person))
    if date_from:
        rows = rows.filter(at__date__gte=date_from)
    if date_to:
        rows = rows.filter(at__date__lte=date_to)
    return rows.order_by("-at", "-pk")
