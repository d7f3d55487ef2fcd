import datetime
import io

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.tests.factories import OrganizationFactory, UserFactory
from khizmat.testing.registry import register
from khizmat.trainings.choices import EventKind, EventStatus, ImportStatus, Sex
from khizmat.trainings.models import (
    Event,
    EventMaterial,
    EventParticipation,
    Participant,
    ParticipantImport,
    participant_identity,
)

_ORG = factory.SelfAttribute("..organization")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def xlsx_bytes(headers, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@register
class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.FUNDER_PROJECT)
    topic = factory.Sequence(lambda n: f"Current state and problems of public service delivery {n}")
    kind = EventKind.TRAINING
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=1))
    venue = "Hokimiyat conference hall"
    description = "Seminar-training for the staff of the pilot centers."
    status = EventStatus.HELD


@register
class EventParticipationFactory(DjangoModelFactory):
    class Meta:
        model = EventParticipation

    organization = factory.SubFactory(OrganizationFactory)
    event = factory.SubFactory(EventFactory, organization=_ORG)
    participant = factory.SubFactory(OrganizationFactory)


@register
class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    organization = factory.SubFactory(OrganizationFactory)
    event = factory.SubFactory(EventFactory, organization=_ORG)
    full_name = factory.Sequence(lambda n: f"Karimova Dilnoza {n}")
    sex = Sex.FEMALE
    affiliation_name = "Public Service Center"
    position = "Chief specialist"
    phone = ""
    attended = False
    identity_key = factory.LazyAttribute(
        lambda o: participant_identity(
            o.full_name, o.affiliation.pk if getattr(o, "affiliation", None) else None, o.affiliation_name
        )
    )


@register
class EventMaterialFactory(DjangoModelFactory):
    class Meta:
        model = EventMaterial

    organization = factory.SubFactory(OrganizationFactory)
    event = factory.SubFactory(EventFactory, organization=_ORG)
    title = "Agenda"
    file = factory.django.FileField(filename="agenda.pdf", data=PDF_BYTES)
    original_name = "agenda.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory)
    uploaded_at = factory.LazyFunction(timezone.now)


@register
class ParticipantImportFactory(DjangoModelFactory):
    class Meta:
        model = ParticipantImport

    organization = factory.SubFactory(OrganizationFactory)
    event = factory.SubFactory(EventFactory, organization=_ORG)
    file_name = "participants.xlsx"
    content = factory.LazyFunction(lambda: xlsx_bytes(["Full name", "Sex"], [["Aliyev Botir", "M"]]))
    status = ImportStatus.CHECKED
    headers = ["Full name", "Sex"]
    columns = {"full_name": 0, "sex": 1}
    row_count = 1
    uploaded_by = factory.SubFactory(UserFactory)
    uploaded_at = factory.LazyFunction(timezone.now)
