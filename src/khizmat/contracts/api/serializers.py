from rest_framework import serializers

from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord


class ContractSerializer(serializers.ModelSerializer):
    provider = serializers.PrimaryKeyRelatedField(source="organization", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "provider",
            "customer",
            "number",
            "title",
            "starts_on",
            "ends_on",
            "status",
            "signed_on",
        ]
        read_only_fields = fields


class WorkItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkItem
        fields = ["id", "contract", "code", "name", "unit", "unit_price", "planned_quantity", "source"]
        read_only_fields = fields


class WorkRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkRecord
        fields = [
            "id",
            "work_item",
            "date",
            "quantity",
            "note",
            "source_load",
            "is_correction",
            "recorded_at",
        ]
        read_only_fields = fields


class ActSerializer(serializers.ModelSerializer):
    class Meta:
        model = Act
        fields = ["id", "contract", "month", "number", "status", "submitted_at", "accepted_at"]
        read_only_fields = fields


class ActLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActLine
        fields = [
            "id",
            "act",
            "work_item",
            "planned_quantity",
            "actual_quantity",
            "unit_price",
            "amount",
            "status",
            "dispute_comment",
            "disputed_at",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields
