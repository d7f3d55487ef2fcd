"""ModelSerializer fields are built once per class and copied per instance (khizmat.api.fields).

What must hold: each instance gets its own field objects (a change on one, such as a queryset narrowed to the caller's
organization, never reaches another), nested fields are copied too, and only the querysets are shared.
"""

from types import SimpleNamespace

import pytest
from rest_framework import serializers

from khizmat.tenancy.api.serializers import OrganizationSerializer
from khizmat.tenancy.models import Organization
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.trainings.api.serializers import EventMaterialSerializer
from khizmat.trainings.models import Event


def test_each_instance_gets_its_own_fields_built_once_per_class(monkeypatch):
    class Probe(serializers.ModelSerializer):
        class Meta:
            model = Organization
            fields = ["id", "code", "country"]

    calls = []
    build_field = serializers.ModelSerializer.build_field
    monkeypatch.setattr(
        Probe, "build_field", lambda self, *args: calls.append(args[0]) or build_field(self, *args)
    )
    first, second = Probe(), Probe()
    assert list(first.fields) == ["id", "code", "country"]
    assert list(second.fields) == ["id", "code", "country"]
    assert calls == ["id", "code", "country"]
    assert first.fields["country"] is not second.fields["country"]
    assert first.fields["code"] is not second.fields["code"]
    assert first.fields["code"].parent is first and second.fields["code"].parent is second
    # The related field's queryset is one object for both copies (lazy, cloned by the field before each use).
    assert first.fields["country"].queryset is second.fields["country"].queryset


def test_a_queryset_narrowed_by_one_instance_does_not_reach_the_next():
    request = SimpleNamespace(_request=SimpleNamespace(organization=None))
    narrowed = EventMaterialSerializer(context={"request": request})
    assert narrowed.fields["event"].queryset.query.is_empty()
    # The next instance starts from the class's fields (every event of the model, before its own narrowing).
    plain = serializers.ModelSerializer.get_fields(EventMaterialSerializer())
    assert plain["event"].queryset.model is Event
    assert not plain["event"].queryset.all().query.is_empty()


def test_a_many_related_child_is_copied_with_its_field():
    first, second = OrganizationSerializer(), OrganizationSerializer()
    assert first.fields["overseers"] is not second.fields["overseers"]
    assert first.fields["overseers"].child_relation is not second.fields["overseers"].child_relation
    assert first.fields["overseers"].child_relation.parent is first.fields["overseers"]


@pytest.mark.django_db
def test_answers_are_the_same_with_and_without_the_cache(monkeypatch):
    organization = OrganizationFactory()
    cached = OrganizationSerializer(organization).data
    monkeypatch.setattr(OrganizationSerializer, "cache_fields", False, raising=False)
    assert OrganizationSerializer(organization).data == cached
