"""Background tasks of field work: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.fieldwork import services
from khizmat.fieldwork.models import RoutePlan
from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task(takes_context=True)
def execute_route_plan(context, plan_id: int) -> str:
    """A second attempt (the first one's worker died: khizmat.core.taskrecovery) takes over the running plan."""
    with scopes_disabled():
        organization_id = RoutePlan.objects.values_list("organization_id", flat=True).get(pk=plan_id)
    with organization_context(organization_id):
        return services.plan_execute(plan_id=plan_id, retry=context.attempt > 1).status
