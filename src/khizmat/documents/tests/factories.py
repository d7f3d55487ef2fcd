import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from khizmat.documents.models import DocumentStatus, GeneratedDocument
from khizmat.tenancy.tests.factories import OrganizationFactory, UserFactory
from khizmat.testing.registry import register


@register
class GeneratedDocumentFactory(DjangoModelFactory):
    """A finished export (billing's arrears workbook: a kind registered by the billing app)."""

    class Meta:
        model = GeneratedDocument

    organization = factory.SubFactory(OrganizationFactory)
    kind = "billing.arrears"
    params = factory.LazyFunction(lambda: {"as_of": "2026-11-30"})
    language = "en"
    status = DocumentStatus.DONE
    progress = 100
    requested_by = factory.SubFactory(UserFactory)
    filename = "arrears.xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file = factory.LazyFunction(lambda: ContentFile(b"PK\x03\x04 test", name="arrears.xlsx"))
    size = 10
