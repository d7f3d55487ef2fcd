"""REST API of trainings and events: every write goes through ``trainings.services`` / ``trainings.imports``, like
the pages. Events, counts and materials are read over the organizations the membership may see (a monitor: its
coverage); participants (names, phones) only with ``trainings.people``, in the organizer's own organization."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.tenancy.mixins import PersonalDataViewSetMixin
from khizmat.trainings import imports, selectors, services
from khizmat.trainings.api import serializers as s
from khizmat.trainings.choices import ImportTask
from khizmat.trainings.models import Event, EventMaterial, Participant, ParticipantImport

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class VisibleReadsMixin:
    """Reads over the membership's visible organizations (a monitor's coverage); writes on the own organization
    only (the services check the role in the object's organization as well)."""

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            ids = self.request._request.visible_organization_ids
            queryset = self.queryset.model.objects.filter(organization_id__in=ids)
        else:
            queryset = self.queryset.model.objects.for_organization(self.organization)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.order_by(*(self.ordering or ("-pk",)))


class EventViewSet(VisibleReadsMixin, *_READ, TenantViewSet):
    """Trainings, seminars and experience exchanges; the organizer is the caller's organization."""

    queryset = Event.objects.none()
    serializer_class = s.EventSerializer
    parser_classes = [JSONParser]
    permission = "trainings.view"
    write_permission = "trainings.manage"
    filterset_fields = {
        "kind": ["exact"],
        "status": ["exact"],
        "funder_project": ["exact"],
        "start_date": ["gte", "lte"],
        "end_date": ["gte", "lte"],
    }
    ordering = ("-start_date", "pk")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("participating_organizations")

    def create(self, request):
        serializer = s.EventSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        event = services.event_create(
            actor=request.user, organization=self.organization, **serializer.validated_data
        )
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        event = self.get_object()
        serializer = s.EventSerializer(
            event, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organizations = data.pop("participating_organizations", None)
        event = services.event_update(
            actor=request.user, event=event, participating_organizations=organizations, **data
        )
        return Response(s.EventSerializer(event).data)

    def destroy(self, request, pk=None):
        services.event_delete(actor=request.user, event=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[
            OpenApiParameter("funder_project", int, description="Only the events of this funder project"),
            OpenApiParameter(
                "date_from", OpenApiTypes.DATE, description="Events ending on or after this day"
            ),
            OpenApiParameter(
                "date_to", OpenApiTypes.DATE, description="Events starting on or before this day"
            ),
            OpenApiParameter("kind", str, enum=[k for k, _label in s.EventKind.choices]),
        ],
        responses={200: s.ParticipantCountsSerializer},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def counts(self, request):
        """Participants by sex.

        Registered and attended participants, women and men: per event, in total and per organization they came
        from, over the events (not cancelled) of the organizations the caller may see. No personal data."""
        query = s.CountsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = selectors.participant_counts(
            organization_ids=request._request.visible_organization_ids, **query.validated_data
        )
        return Response(s.ParticipantCountsSerializer(result).data)


class ParticipantViewSet(PersonalDataViewSetMixin, *_READ, TenantViewSet):
    """Participants of the organization's events, with their personal data: managers, administrators and auditors
    of the organizer only (never monitors)."""

    queryset = Participant.objects.none()
    serializer_class = s.ParticipantSerializer
    parser_classes = [JSONParser]
    permission = "trainings.people"
    write_permission = "trainings.manage"
    filterset_fields = ["event", "sex", "attended", "affiliation"]
    ordering = ("event", "full_name", "pk")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.ParticipantUpdateSerializer
        if self.action == "attendance":
            return s.AttendanceSerializer
        return s.ParticipantSerializer

    def create(self, request):
        serializer = s.ParticipantSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        participant = services.participant_add(actor=request.user, **serializer.validated_data)
        return Response(s.ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        participant = self.get_object()
        serializer = s.ParticipantUpdateSerializer(
            participant, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        participant = services.participant_update(
            actor=request.user, participant=participant, **serializer.validated_data
        )
        return Response(s.ParticipantSerializer(participant).data)

    def destroy(self, request, pk=None):
        services.participant_remove(actor=request.user, participant=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.AttendanceSerializer, responses={200: s.ParticipantSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Mark a participant present or absent.

        A cancelled event takes no attendance, and attendance is recorded from the event's first day on (422)."""
        participant = self.get_object()
        data = s.AttendanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant = services.participant_set_attendance(
            actor=request.user, participant=participant, attended=data.validated_data["attended"]
        )
        return Response(s.ParticipantSerializer(participant).data)


class EventMaterialViewSet(VisibleReadsMixin, *_READ, TenantViewSet):
    """Files of events (agendas, presentations, photos), checked by their content before they are stored."""

    queryset = EventMaterial.objects.none()
    serializer_class = s.EventMaterialSerializer
    permission = "trainings.view"
    write_permission = "trainings.manage"
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["event"]
    ordering = ("event", "title", "pk")

    def create(self, request):
        serializer = s.EventMaterialSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        material = services.material_add(
            actor=request.user,
            event=serializer.validated_data["event"],
            title=serializer.validated_data["title"],
            upload=serializer.validated_data["file"],
        )
        return Response(s.EventMaterialSerializer(material).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.material_remove(actor=request.user, material=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file")
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """Download a material.

        The stored file (a picture as re-encoded without its metadata)."""
        material = self.get_object()
        try:
            handle = material.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404 from error
        return FileResponse(
            handle,
            as_attachment=True,
            filename=material.original_name or "material",
            content_type=material.content_type,
        )


class ParticipantImportViewSet(*_READ, TenantViewSet):
    """Participant lists uploaded from Excel: the upload starts the check (every error with its row and column);
    ``import`` then imports all rows or none. Both run in the background: poll the import."""

    queryset = ParticipantImport.objects.none()
    serializer_class = s.ParticipantImportSerializer
    permission = "trainings.manage"
    write_permission = "trainings.manage"
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["event", "status"]
    ordering = ("-uploaded_at", "-pk")

    def get_queryset(self):
        return super().get_queryset().defer("content")

    @extend_schema(
        request=s.ParticipantImportUploadSerializer, responses={202: s.ParticipantImportSerializer}
    )
    def create(self, request):
        """Upload a participant list.

        The file is bounded and its columns are found by their headers at once (422 with the reason); every row
        is then checked in the background. The answer (202) is the import: poll it until `task` is empty, then read
        `errors`."""
        upload = s.ParticipantImportUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        record = imports.participant_import_upload(
            actor=request.user, event=upload.validated_data["event"], upload=upload.validated_data["file"]
        )
        return Response(s.ParticipantImportSerializer(record).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: s.ParticipantImportSerializer})
    @action(detail=True, methods=["post"], url_path="import")
    def commit(self, request, pk=None):
        """Import a checked list.

        All rows or none, in the background (202); refused with 409 when the file is not checked, has errors, is
        being checked or imported, or is already imported."""
        record = self.get_object()
        imports.participant_import_start(actor=request.user, record=record, step=ImportTask.IMPORT)
        record.refresh_from_db()
        return Response(s.ParticipantImportSerializer(record).data, status=status.HTTP_202_ACCEPTED)
