"""The demo's results: the funder projects' indicators with baselines and targets at their pilot sites, and the
KPIs. The other apps' demo steps write much of their history in bulk (without touching the days they fill), so this
step, the last one, recomputes every stored measure from the raw data."""

import datetime

from khizmat.core.demo import DemoLogin, register
from khizmat.monitoring import registry, selectors, services
from khizmat.monitoring.models import Indicator
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.scoping import scopes_disabled

# (code, name, KPI, unit, baseline, target): the projects' results frameworks, in the projects' words. Baselines
# are the 2018 survey values of the field reports' pilots; measured indicators take their actuals from Khizmat.
FRAMEWORKS = {
    "eu-undp": [
        ("1.1", "Applications completed within the legal deadline", "applications.on_time", "%", "72", "95"),
        (
            "1.2",
            "Median processing time of an application",
            "applications.median_working_days",
            "days",
            "9",
            "5",
        ),
        ("1.3", "Average waiting time at the counter", "queue.average_wait", "min", "35", "15"),
        ("1.4", "Citizens' satisfaction with the service (1–5)", "feedback.satisfaction", "", "3.4", "4.5"),
        ("2.1", "Citizens who trust public services (survey)", "", "%", "41", "60"),
    ],
    "sdc-helvetas": [
        ("1.1", "Collection points served on schedule", "fieldwork.points_collected", "%", "70", "95"),
        ("1.2", "Municipal order fulfilled (monthly acts)", "contracts.act_fulfilment", "%", "60", "90"),
        ("1.3", "Citizen reports received and answered", "reports.resolved", "", "0", "150"),
        ("2.1", "Households satisfied with waste collection (survey)", "", "%", "38", "70"),
    ],
}
SURVEY = {
    "eu-undp": ("2025-12-15", ["52", "49", "57", "46", "55"]),
    "sdc-helvetas": ("2025-11-30", ["58", "51", "63"]),
}


def _framework(project: Organization, rows, survey) -> int:
    actor = User.objects.filter(username=f"{project.code}.manager").first()
    sites = selectors.pilot_sites(project)
    added = 0
    for code, name, kpi, unit, baseline, target in rows:
        indicator = services.indicator_save(
            actor=actor, organization=project, code=code, name=name, kpi=kpi, unit=unit
        )
        kinds = registry.SECTION_KINDS[registry.kpi(kpi).section] if kpi else None
        for site in sites:
            if kinds is not None and site.kind not in kinds:
                continue
            services.indicator_target_set(
                actor=actor,
                indicator=indicator,
                site=site,
                baseline=baseline,
                baseline_date=datetime.date(2018, 12, 31),
                target=target,
                target_date=datetime.date(2027, 12, 31),
            )
        if not kpi:
            day, values = survey
            for site, value in zip(sites, values, strict=False):
                services.indicator_result_record(
                    actor=actor,
                    indicator=indicator,
                    site=site,
                    as_of=day,
                    value=value,
                    source="Household survey",
                )
        added += 1
    return added


@register
def build_results(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    with scopes_disabled():
        for code, rows in FRAMEWORKS.items():
            project = Organization.objects.filter(code=code).first()
            if project is None or Indicator.objects.filter(organization=project).exists():
                continue
            added = _framework(project, rows, SURVEY[code])
            stdout.write(f"{project.code}: {added} indicators with targets at its pilot sites")
        written = services.kpi_rebuild()
    stdout.write(f"KPIs: {sum(written.values())} stored values")
    return []
