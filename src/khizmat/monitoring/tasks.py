"""Background tasks of monitoring: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.monitoring import services


@task()
def refresh_touched(organization_id: int | None = None) -> int:
    """Recompute the days the services marked as changed (all of them when no organization is given)."""
    return services.kpi_refresh_touched(organization_id=organization_id)


@task()
def refresh_stocks() -> int:
    """Recompute the stocks of yesterday's and today's months of every organization (after local midnight)."""
    return services.kpi_refresh_stocks()
