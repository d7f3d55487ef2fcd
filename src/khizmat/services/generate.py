"""Generated service catalogs and a year of applications at every generated public service center.

The first center gets the national catalog through the demo's own code; the others copy it in one statement.
Applications are one INSERT … SELECT over a numbered series: each center receives a share (skewed, like a
country's towns and villages), spread evenly over the year before ``--as-of`` during office hours, numbered per
year in order of arrival, with statuses by age and legal deadline (overdue ones included). Two workflow steps per
decided application (received, then its current status) and the number sequences follow.
"""

from __future__ import annotations

import datetime
import random

from khizmat.core.generate import Generator, register
from khizmat.core.search import search_key
from khizmat.services.demo import _save_catalog
from khizmat.services.models import Application, ApplicationTransition, Service
from khizmat.services.services import application_number_prefix
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.demo_people import MOBILE_CODES, STREETS, uzbek_person
from khizmat.tenancy.models import Organization
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

YEAR_SECONDS = 365 * 86400
OFFICE_SECONDS = 9 * 3600  # 09:00–18:00 local time, 04:00–13:00 UTC in Uzbekistan
NAMES = 2000


@register
def build(gen: Generator) -> None:
    centers = gen.units_of(OrganizationKind.SERVICE_CENTER)
    total = gen.scale.applications
    if not centers or not total:
        return
    with scopes_disabled():
        template = Organization.objects.select_related("country", "region", "district").get(
            pk=centers[0].org_id
        )
        _save_catalog(template, template=False)
        gen.clone(Service, template.pk, [unit.org_id for unit in centers])
        services: dict[int, list[tuple]] = {}
        for row in (
            Service.objects.filter(organization_id__in=[unit.org_id for unit in centers], is_active=True)
            .order_by("organization_id", "code")
            .values_list("organization_id", "pk", "deadline_working_days", "fee", "currency")
        ):
            services.setdefault(row[0], []).append(row[1:])
        prefixes = {
            org.pk: application_number_prefix(org)
            for org in Organization.objects.filter(pk__in=[u.org_id for u in centers]).select_related(
                "region", "district"
            )
        }
    per_center = len(services[template.pk])
    starts = gen.first_rows(total, len(centers))
    gen.lookup(
        "gen_center",
        ["k", "org_id", "first_g", "rows_n", "prefix", "operator_id", "services_n"],
        [
            (
                unit.k,
                unit.org_id,
                starts[unit.k],
                max(1, starts[unit.k + 1] - starts[unit.k]),
                prefixes[unit.org_id],
                unit.users[Role.OPERATOR],
                len(services[unit.org_id]),
            )
            for unit in centers
        ],
    )
    gen.lookup(
        "gen_service",
        ["key", "service_id", "days", "fee", "currency"],
        [
            (unit.k * 1000 + j, pk, (days * 7 + 4) // 5, float(fee), currency)
            for unit in centers
            for j, (pk, days, fee, currency) in enumerate(services[unit.org_id])
        ],
    )
    rng = random.Random(f"khizmat-generate-{gen.seed}-applicants")
    people = []
    for i in range(NAMES):
        name, _pinfl, _age = uzbek_person(rng, gen.as_of, (18, 80), ["100"])
        people.append((i, name, search_key(name)))
    gen.lookup("gen_person", ["id", "name", "name_key"], people)
    gen.lookup("gen_street", ["id", "name"], list(enumerate(STREETS)))
    gen.lookup("gen_mobile", ["id", "code"], list(enumerate(MOBILE_CODES)))

    start = gen.as_of - datetime.timedelta(days=365)
    start_at = datetime.datetime.combine(start, datetime.time(4, 0), tzinfo=datetime.UTC)
    g = "s.g"
    u = f"((({g}) - c.first_g) * {YEAR_SECONDS} / c.rows_n)"  # seconds into the year, increasing with g
    day = f"({u} / 86400)"
    received = gen.at(start_at, f"{day} * 86400 + ({u} % 86400) * {OFFICE_SECONDS} / 86400")
    age = f"(365 - {day})"
    roll = gen.pick(g, "status", 100)
    status = """CASE
        WHEN b.age > b.days + 5 THEN CASE WHEN b.roll < 3 THEN 'in_review' WHEN b.roll < 70 THEN 'issued'
                                          WHEN b.roll < 82 THEN 'closed' ELSE 'rejected' END
        WHEN b.age > 1 THEN CASE WHEN b.roll < 30 THEN 'received' WHEN b.roll < 60 THEN 'in_review'
                                 WHEN b.roll < 65 THEN 'needs_info' WHEN b.roll < 80 THEN 'approved'
                                 WHEN b.roll < 92 THEN 'issued' ELSE 'rejected' END
        ELSE CASE WHEN b.roll < 70 THEN 'received' ELSE 'in_review' END END"""
    decided_days = f"(b.decide % {gen.least('b.days', 'b.age')})"
    decided = gen.plus("b.received_at", f"{decided_days} * 86400 + 3600")
    sql = f"""
        INSERT INTO services_application (organization_id, number, service_id, status, applicant_name,
            applicant_id_number, applicant_phone, applicant_address, applicant_language, fee_amount, currency,
            fee_status, received_at, due_date, decided_at, finished_at, registered_by_id, assigned_to_id, search_key)
        SELECT x.org_id,
               x.prefix || '-' || CAST(x.yr AS text) || '-' || {gen.pad("x.seq", 6)},
               x.service_id, x.status, p.name, x.pinfl,
               CASE WHEN x.roll2 < 3 THEN '' ELSE '+998' || m.code || {gen.pad(gen.pick("x.g", "phone", 10_000_000), 7)} END,
               st.name || ' koʻchasi, ' || CAST(1 + x.roll2 AS text) || '-uy',
               CASE WHEN x.roll2 < 10 THEN 'uz-cyrl' WHEN x.roll2 < 15 THEN 'ru' ELSE 'uz' END,
               x.fee, x.currency,
               CASE WHEN x.fee = 0 THEN 'free' WHEN x.roll2 < 5 THEN 'exempt'
                    WHEN x.status = 'received' AND x.roll2 < 40 THEN 'due' ELSE 'paid' END,
               x.received_at, x.due_date,
               CASE WHEN x.status IN ('approved', 'rejected', 'issued', 'closed') THEN x.decided_at END,
               CASE WHEN x.status IN ('rejected', 'issued', 'closed') THEN {gen.plus("x.decided_at", "7200")} END,
               x.operator_id,
               CASE WHEN x.status = 'received' THEN NULL ELSE x.operator_id END,
               '|' || p.name_key || '|' || x.pinfl || '|'
        FROM (
            SELECT b.*, {status} AS status, {decided} AS decided_at,
                   row_number() OVER (PARTITION BY b.org_id, b.yr ORDER BY b.g) AS seq
            FROM (
                SELECT {g} AS g, c.org_id, c.prefix, c.operator_id, sv.service_id, sv.days, sv.fee, sv.currency,
                       {received} AS received_at, {age} AS age,
                       {gen.day(start, f"{day} + sv.days")} AS due_date,
                       {gen.year(gen.day(start, day))} AS yr,
                       {roll} AS roll, {gen.pick(g, "decide", 1_000_000)} AS decide,
                       {gen.pick(g, "detail", 120)} AS roll2,
                       '3' || {gen.pad(gen.pick(g, "pinfl-a", 1_000_000), 6)}
                           || {gen.pad(gen.pick(g, "pinfl-b", 10_000_000), 7)} AS pinfl
                FROM {gen.series(total)}
                JOIN gen_center c ON c.k = {gen.part_sql(g, total, len(centers))}
                JOIN gen_service sv ON sv.key = c.k * 1000 + {gen.pick(g, "service", per_center)} % c.services_n
            ) b
        ) x
        JOIN gen_person p ON p.id = {gen.pick("x.g", "person", NAMES)}
        JOIN gen_street st ON st.id = {gen.pick("x.g", "street", len(STREETS))}
        JOIN gen_mobile m ON m.id = {gen.pick("x.g", "mobile", len(MOBILE_CODES))}
    """
    count = gen.execute("applications", sql)
    centers_sql = "SELECT org_id FROM gen_center"
    gen.execute(
        "application steps (received)",
        f"""
        INSERT INTO services_applicationtransition (organization_id, application_id, from_status, to_status,
                                                    actor_id, at, comment)
        SELECT organization_id, id, '', 'received', registered_by_id, received_at, ''
        FROM services_application WHERE organization_id IN ({centers_sql})
        """,
    )
    gen.execute(
        "application steps (decisions)",
        f"""
        INSERT INTO services_applicationtransition (organization_id, application_id, from_status, to_status,
                                                    actor_id, at, comment)
        SELECT organization_id, id, 'received', status, COALESCE(assigned_to_id, registered_by_id),
               COALESCE(finished_at, decided_at, {gen.plus("received_at", "3600")}), ''
        FROM services_application WHERE organization_id IN ({centers_sql}) AND status <> 'received'
        """,
    )
    gen.yearly_number_sequences(
        "application number sequences", "services_application", "application", "received_at", centers_sql
    )
    gen.analyze(Application._meta.db_table, ApplicationTransition._meta.db_table)
    gen.say(f"Service centers: {len(centers)} catalogs of {per_center} services, {count} applications.")
