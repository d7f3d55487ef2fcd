"""Background tasks of field work: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.fieldwork import services
from khizmat.fieldwork.models import RoutePlan
from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task()
def execute_route_plan(plan_id: int) -> str:
    with scopes_disabled():
        organization_id = RoutePlan.objects.values_list("organization_id", flat=True).get(pk=plan_id)
    with organization_context(organization_id):
        return services.plan_execute(plan_id=plan_id).status
