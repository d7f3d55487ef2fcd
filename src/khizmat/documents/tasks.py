"""Background tasks of documents: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.documents import services
from khizmat.documents.models import GeneratedDocument
from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task()
def generate_document(document_id: int) -> str:
    with scopes_disabled():
        organization_id = GeneratedDocument.objects.values_list("organization_id", flat=True).get(
            pk=document_id
        )
    with organization_context(organization_id):
        return services.document_generate(document_id=document_id).status
