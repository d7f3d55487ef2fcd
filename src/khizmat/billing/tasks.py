"""Background tasks of billing: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.billing import services
from khizmat.billing.models import BillingRun
from khizmat.core.reconnect import retry_after_disconnect
from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task()
def execute_billing_run(run_id: int) -> str:
    """A lost database connection (PostgreSQL restarted) resumes the run after its last committed chunk."""
    return retry_after_disconnect(lambda: _execute_billing_run(run_id))


def _execute_billing_run(run_id: int) -> str:
    with scopes_disabled():
        organization_id = BillingRun.objects.values_list("organization_id", flat=True).get(pk=run_id)
    with organization_context(organization_id):
        return services.billing_run_execute(run_id=run_id).status


@task()
def run_subscriber_import(import_id: int, actor_id: int, step: str, mapping: dict) -> str:
    """Check or import a subscriber list (billing.imports.subscriber_import_run); the result stays on the record."""
    from khizmat.billing.imports import subscriber_import_run
    from khizmat.billing.models import SubscriberImport
    from khizmat.tenancy.models import User

    with scopes_disabled():
        organization_id = SubscriberImport.objects.values_list("organization_id", flat=True).get(pk=import_id)
    with organization_context(organization_id):
        record = SubscriberImport.objects.select_related("organization").get(pk=import_id)
        actor = User.objects.get(pk=actor_id)
        subscriber_import_run(actor=actor, record=record, step=step, mapping=mapping)
        return SubscriberImport.objects.values_list("status", flat=True).get(pk=import_id)


@task()
def run_statement_import(import_id: int, actor_id: int) -> str:
    """Read a bank statement file (billing.statements.statement_import_run); the result stays on the record."""
    from khizmat.billing.models import StatementImport
    from khizmat.billing.statements import statement_import_run
    from khizmat.tenancy.models import User

    def run() -> str:
        with scopes_disabled():
            organization_id = StatementImport.objects.values_list("organization_id", flat=True).get(
                pk=import_id
            )
        with organization_context(organization_id):
            record = StatementImport.objects.select_related("organization").get(pk=import_id)
            return statement_import_run(actor=User.objects.get(pk=actor_id), record=record).status

    # A lost database connection reads the file again: the statement and the import's outcome commit together.
    return retry_after_disconnect(run)
