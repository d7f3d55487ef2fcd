"""Background tasks of documents: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.documents import services
from khizmat.documents.models import GeneratedDocument
from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task(takes_context=True)
def generate_document(context, document_id: int) -> str:
    """A second attempt (the first one's worker died: khizmat.core.taskrecovery) takes over the running document."""
    with scopes_disabled():
        organization_id = GeneratedDocument.objects.values_list("organization_id", flat=True).get(
            pk=document_id
        )
    with organization_context(organization_id):
        return services.document_generate(document_id=document_id, retry=context.attempt > 1).status
