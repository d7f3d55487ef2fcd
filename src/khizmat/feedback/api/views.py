from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.feedback import services
from khizmat.feedback.api import serializers as s
from khizmat.feedback.models import FeedbackCase, Rating
from khizmat.tenancy.mixins import PersonalDataViewSetMixin

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class RatingViewSet(*_READ, TenantViewSet):
    queryset = Rating.objects.none()
    serializer_class = s.RatingSerializer
    permission = "feedback.view"
    filterset_fields = {"score": ["exact", "lte", "gte"], "channel": ["exact"], "operator": ["exact"]}
    ordering = ("-created_at", "-pk")


class FeedbackCaseViewSet(PersonalDataViewSetMixin, *_READ, TenantViewSet):
    queryset = FeedbackCase.objects.none()
    serializer_class = s.FeedbackCaseSerializer
    permission = "feedback.view"
    write_permission = "feedback.answer"
    filterset_fields = {"status": ["exact"], "kind": ["exact"], "due_date": ["lt", "gte", "lte"]}
    ordering = ("status", "due_date", "pk")

    @extend_schema(request=s.AnswerRequestSerializer, responses={200: s.FeedbackCaseSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer a complaint.

        The manager's answer to a feedback case closes it; the citizen is told in their language."""
        case = self.get_object()  # another tenant's id is 404 before the body is read
        serializer = s.AnswerRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_answer(actor=request.user, case=case, answer=serializer.validated_data["answer"])
        return Response(s.FeedbackCaseSerializer(case).data)
