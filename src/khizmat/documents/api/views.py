from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.documents import services
from khizmat.documents.api.serializers import DocumentRequestSerializer, GeneratedDocumentSerializer
from khizmat.documents.models import DocumentStatus, GeneratedDocument
from khizmat.documents.registry import KINDS


class GeneratedDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Documents made in the background (exports, notices): ask for one, follow its `status` and `progress`, then
    fetch it from `download`. A role sees the kinds it may ask for."""

    queryset = GeneratedDocument.objects.none()
    serializer_class = GeneratedDocumentSerializer
    permission = "documents.use"
    write_permission = "documents.use"
    filterset_fields = {"kind": ["exact"], "status": ["exact"], "requested_at": ["gte", "lt"]}
    ordering = ("-requested_at", "-pk")

    def get_queryset(self):
        membership = self.request._request.membership
        readable = [name for name, kind in KINDS.items() if membership.has_permission(kind.permission)]
        return super().get_queryset().filter(kind__in=readable)

    @extend_schema(request=DocumentRequestSerializer, responses={202: GeneratedDocumentSerializer})
    def create(self, request):
        """Ask for a document.

        The parameters are checked at once (422 with the reason); the document is then prepared in the background.
        The answer (202) is the document: poll it until `status` is `done`, then fetch `download`."""
        data = DocumentRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_request(
            actor=request.user,
            membership=request._request.membership,
            kind=data.validated_data["kind"],
            params=data.validated_data["params"],
        )
        body = GeneratedDocumentSerializer(document, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file")
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """Download a document.

        The file of a document whose `status` is `done` (XLSX or PDF); 404 before that."""
        document = self.get_object()  # among the kinds the role may read
        if document.status != DocumentStatus.DONE or not document.file:
            raise Http404
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.filename,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "no-store"
        return response
