from rest_framework import serializers

from khizmat.tenancy.models import (
    CalendarDay,
    Country,
    District,
    Membership,
    Organization,
    PersonalDataAccess,
    Region,
    Settlement,
    User,
)


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "code", "name", "currency", "time_zone", "phone_prefix", "weekend_days"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "country", "code", "name"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "region", "code", "kind", "name"]


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Settlement
        fields = ["id", "district", "kind", "name", "latitude", "longitude"]


class OrganizationSerializer(serializers.ModelSerializer):
    overseers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "code", "kind", "name", "country", "region", "district", "settlement", "overseers"]


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "country", "date", "kind", "name"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "patronymic"]


class MembershipSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "is_active", "coverage_country", "coverage_region", "created_at"]


class StaffPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, help_text="The new password; checked like any password."
    )


class PersonalDataAccessSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalDataAccess
        fields = ["id", "user", "at", "record_type", "record_id", "record_label", "view", "address"]
        read_only_fields = fields
