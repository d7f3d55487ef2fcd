"""Generated report types and a year of citizen reports at every generated organization.

Enterprises handle waste and greening types, service centers street lights and dumps (the demo's types, in five
languages). Reports arrive evenly over the year before ``--as-of`` around the organization's town, are numbered
``R-<year>-<n>`` in order of arrival with a random citizen token, get statuses by age (old ones resolved or
closed, recent ones open), and one public update per step (new, then the current status).
"""

from __future__ import annotations

import datetime

from khizmat.core.generate import Generator, register
from khizmat.reports.demo import DESCRIPTIONS, NOTES, TYPES
from khizmat.reports.models import Report, ReportType, ReportUpdate
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

KIND_TYPES = {
    OrganizationKind.MUNICIPAL_ENTERPRISE: [
        "missed-pickup",
        "overflowing-container",
        "illegal-dump",
        "green-area",
    ],
    OrganizationKind.SERVICE_CENTER: ["street-light", "illegal-dump", "missed-pickup"],
}
YEAR_SECONDS = 365 * 86400


@register
def build(gen: Generator) -> None:
    units = gen.units
    total = gen.scale.reports
    if not units or not total:
        return
    with scopes_disabled():
        types = []
        for unit in units:
            for code in KIND_TYPES[unit.kind]:
                en, ru, ky, uz, uz_cyrl, group, days, attributes = TYPES[code]
                types.append(
                    ReportType(
                        organization_id=unit.org_id,
                        code=code,
                        name=en,
                        name_en=en,
                        name_ru=ru,
                        name_ky=ky,
                        name_uz=uz,
                        name_uz_cyrl=uz_cyrl,
                        group=group,
                        group_en=group,
                        resolution_working_days=days,
                        attributes=attributes,
                    )
                )
        ReportType.objects.bulk_create(types, batch_size=1000)
        ids = {
            (org, code): (pk, days)
            for org, code, pk, days in ReportType.objects.filter(
                organization_id__in=[u.org_id for u in units]
            ).values_list("organization_id", "code", "pk", "resolution_working_days")
        }
    order = sorted(units, key=lambda unit: unit.index)
    starts = gen.first_rows(total, len(order))
    gen.lookup(
        "gen_rorg",
        ["k", "org_id", "first_g", "rows_n", "lat", "lon", "handler_id", "country", "types_n"],
        [
            (
                n,
                unit.org_id,
                starts[n],
                max(1, starts[n + 1] - starts[n]),
                unit.latitude,
                unit.longitude,
                unit.users[Role.DISPATCHER],
                unit.country,
                len(KIND_TYPES[unit.kind]),
            )
            for n, unit in enumerate(order)
        ],
    )
    gen.lookup(
        "gen_rtype",
        ["key", "type_id", "days"],
        [
            (n * 10 + j, *ids[unit.org_id, code])
            for n, unit in enumerate(order)
            for j, code in enumerate(KIND_TYPES[unit.kind])
        ],
    )
    texts = [
        (
            i * 2 + (country == "UZ"),
            country,
            DESCRIPTIONS[country][i % len(DESCRIPTIONS[country])],
            NOTES[country][i % len(NOTES[country])],
        )
        for country in ("KG", "UZ")
        for i in range(4)
    ]
    gen.lookup("gen_rtext", ["id", "country", "description", "note"], texts)

    start_at = datetime.datetime.combine(
        gen.as_of - datetime.timedelta(days=365), datetime.time(0), tzinfo=datetime.UTC
    )
    g = "s.g"
    u = f"((({g}) - c.first_g) * {YEAR_SECONDS} / c.rows_n)"
    age = f"({YEAR_SECONDS} - {u}) / 86400"
    status = """CASE
        WHEN b.age > 20 THEN CASE WHEN b.roll < 60 THEN 'resolved' WHEN b.roll < 90 THEN 'closed' ELSE 'in_progress' END
        WHEN b.age > 3 THEN CASE WHEN b.roll < 40 THEN 'resolved' WHEN b.roll < 70 THEN 'in_progress'
                                 WHEN b.roll < 90 THEN 'acknowledged' ELSE 'open' END
        ELSE CASE WHEN b.roll < 50 THEN 'open' WHEN b.roll < 80 THEN 'acknowledged' ELSE 'in_progress' END END"""
    jitter = f"(({gen.pick(g, 'lat', 24001)} - 12000) / 1000000.0)"
    jitter_lon = f"(({gen.pick(g, 'lon', 30001)} - 15000) / 1000000.0)"
    later = f"{u} + 3600 * (2 + {gen.pick(g, 'update', 60)})"
    updated = gen.at(start_at, gen.least(later, str(YEAR_SECONDS - 60)))
    expected = gen.at(start_at, f"{u} + rt.days * 7 * 86400 / 5 + 86400")
    sql = f"""
        INSERT INTO reports_report (organization_id, number, token, report_type_id, status, description, latitude,
            longitude, address, attributes, photo, citizen_first_name, citizen_last_name, citizen_phone,
            citizen_email, citizen_language, device_id, account_id, source, requested_at, updated_at, expected_at,
            public_note, assigned_to_id)
        SELECT x.org_id, 'R-' || CAST(x.yr AS text) || '-' || {gen.pad("x.seq", 6)}, x.token, x.type_id, x.status,
               t.description, x.lat, x.lon, '', '{{}}', '', '', '', '', '', CASE WHEN x.country = 'KG' THEN 'ky' ELSE 'uz' END,
               '', '', CASE WHEN x.roll < 50 THEN 'portal' WHEN x.roll < 80 THEN 'open311' ELSE 'staff' END,
               x.requested_at, x.updated_at, x.expected_at,
               CASE WHEN x.status IN ('resolved', 'closed') THEN t.note ELSE '' END,
               CASE WHEN x.status = 'open' THEN NULL ELSE x.handler_id END
        FROM (
            SELECT b.*, {status} AS status,
                   row_number() OVER (PARTITION BY b.org_id, b.yr ORDER BY b.g) AS seq
            FROM (
                SELECT {g} AS g, c.org_id, c.country, c.handler_id, rt.type_id,
                       {gen.at(start_at, u)} AS requested_at,
                       {updated} AS updated_at, {expected} AS expected_at,
                       {age} AS age, {gen.year(gen.at(start_at, u))} AS yr, {gen.pick(g, "rstatus", 100)} AS roll,
                       c.lat + {jitter} AS lat, c.lon + {jitter_lon} AS lon,
                       {gen.hex32(g, "token")} AS token
                FROM {gen.series(total)}
                JOIN gen_rorg c ON c.k = {gen.part_sql(g, total, len(order))}
                JOIN gen_rtype rt ON rt.key = c.k * 10 + {gen.pick(g, "rtype", 840)} % c.types_n
            ) b
        ) x
        JOIN gen_rtext t ON t.id = {gen.pick("x.g", "rtext", 4)} * 2 + CASE WHEN x.country = 'UZ' THEN 1 ELSE 0 END
    """
    count = gen.execute("reports", sql)
    orgs = "SELECT org_id FROM gen_rorg"
    gen.execute(
        "report updates (new)",
        f"""
        INSERT INTO reports_reportupdate (organization_id, report_id, status, public_note, actor_id, at)
        SELECT organization_id, id, 'open', '', NULL, requested_at FROM reports_report
        WHERE organization_id IN ({orgs})
        """,
    )
    gen.execute(
        "report updates (status)",
        f"""
        INSERT INTO reports_reportupdate (organization_id, report_id, status, public_note, actor_id, at)
        SELECT organization_id, id, status, public_note, assigned_to_id, updated_at FROM reports_report
        WHERE organization_id IN ({orgs}) AND status <> 'open'
        """,
    )
    gen.yearly_number_sequences("report number sequences", "reports_report", "report", "requested_at", orgs)
    gen.analyze(Report._meta.db_table, ReportUpdate._meta.db_table)
    gen.say(f"Citizen reports: {len(types)} report types, {count} reports.")
