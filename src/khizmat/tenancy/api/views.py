from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import ReferenceViewSet, TenantViewSet
from khizmat.tenancy import services
from khizmat.tenancy.api import serializers as s
from khizmat.tenancy.models import (
    CalendarDay,
    Country,
    District,
    Membership,
    Organization,
    PersonalDataAccess,
    Region,
    Settlement,
)


class CountryViewSet(ReferenceViewSet):
    queryset = Country.objects.order_by("code")
    serializer_class = s.CountrySerializer


class RegionViewSet(ReferenceViewSet):
    queryset = Region.objects.order_by("country__code", "code")
    serializer_class = s.RegionSerializer
    filterset_fields = ["country"]


class DistrictViewSet(ReferenceViewSet):
    queryset = District.objects.order_by("region_id", "code")
    serializer_class = s.DistrictSerializer
    filterset_fields = ["region", "kind"]


class SettlementViewSet(ReferenceViewSet):
    queryset = Settlement.objects.order_by("district_id", "pk")
    serializer_class = s.SettlementSerializer
    filterset_fields = ["district", "kind"]


class OrganizationViewSet(ReferenceViewSet):
    queryset = Organization.objects.filter(is_active=True).prefetch_related("overseers").order_by("code")
    serializer_class = s.OrganizationSerializer
    filterset_fields = ["kind", "country", "region", "district"]


class CalendarDayViewSet(ReferenceViewSet):
    queryset = CalendarDay.objects.order_by("country_id", "date")
    serializer_class = s.CalendarDaySerializer
    filterset_fields = {"country": ["exact"], "date": ["gte", "lte"], "kind": ["exact"]}


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    queryset = Membership.objects.none()
    serializer_class = s.MembershipSerializer
    permission = "staff.view"
    write_permission = "staff.manage"
    select_related = ("user",)
    filterset_fields = ["role", "is_active"]
    ordering_fields = ["pk", "role", "created_at"]

    @extend_schema(request=s.StaffPasswordSerializer, responses={200: s.MembershipSerializer})
    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, pk=None):
        """Set a staff member's new password.

        For a staff member who forgot theirs: they must choose their own at the next login, and their sessions and
        API tokens end. A login that also works for another organization or for the platform is refused (422,
        `password_elsewhere`), as is a weak password (422, `weak_password`) and your own login (422,
        `own_password`)."""
        membership = self.get_object()
        serializer = s.StaffPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.membership_set_password(
            actor=request.user, membership=membership, password=serializer.validated_data["password"]
        )
        return Response(s.MembershipSerializer(membership).data)


class PersonalDataAccessViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Who saw full personal data (ID numbers, phones) of which record, when and from where: read-only."""

    queryset = PersonalDataAccess.objects.none()
    serializer_class = s.PersonalDataAccessSerializer
    permission = "personal_data.access_log"
    select_related = ()
    filterset_fields = {
        "user": ["exact"],
        "record_type": ["exact"],
        "record_id": ["exact"],
        "record_label": ["exact"],
        "at": ["gte", "lt"],
    }
    ordering_fields = ["at", "pk"]
    ordering = ("-at", "-pk")
