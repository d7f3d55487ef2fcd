"""Background tasks of billing: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.billing import services
from khizmat.billing.models import BillingRun
from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task()
def execute_billing_run(run_id: int) -> str:
    with scopes_disabled():
        organization_id = BillingRun.objects.values_list("organization_id", flat=True).get(pk=run_id)
    with organization_context(organization_id):
        return services.billing_run_execute(run_id=run_id).status
