"""Serializer fields shared by every API module."""

import copy

from rest_framework import serializers


class ChoiceOrNullField(serializers.ChoiceField):
    """A choice that may be left empty is ``null`` in the API, never ``""``: the schema then says "one of these, or
    null" and a client never meets a value outside the enum. ``null`` and ``""`` are both accepted on input and
    stored as the model's empty string.

    Installed as every ModelSerializer's ``serializer_choice_field`` (``ApiConfig.ready``), so a new serializer
    follows the rule without knowing it."""

    def __init__(self, **kwargs):
        # A read-only field loses ``allow_blank`` on the way here (DRF drops it with ``read_only``), so it may be
        # empty as far as the schema can know.
        self.blank_as_null = bool(kwargs.pop("allow_blank", False) or kwargs.get("read_only"))
        if self.blank_as_null:
            kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if self.blank_as_null and (data is None or data == ""):
            return (True, "")
        return super().validate_empty_values(data)

    def to_representation(self, value):
        if self.blank_as_null and value in ("", None):
            return None
        return super().to_representation(value)

    def get_default(self):
        default = super().get_default()
        return "" if self.blank_as_null and default is None else default


def cache_model_serializer_fields(model_serializer_class) -> None:
    """Build a ModelSerializer's fields from its model once per serializer class, then hand each instance a copy.

    DRF introspects the model and rebuilds every field on each instance (0.7 ms of an API detail answer, against
    0.3 ms for the copy). The fields' construction depends only on the class (its ``Meta`` and declared fields), never
    on the request: a serializer that narrows a field to the caller's organization does so on its own copy in
    ``__init__`` (``self.fields[...]`` after ``super().__init__``). The copy is deep, as DRF's own, except for the
    related fields' querysets: those are shared, as DRF shares a declared field's, because a related field clones its
    queryset (``.all()``) before each use, inside the request's tenant scope. A class whose ``get_fields`` depends on
    the instance sets ``cache_fields = False``.
    """
    build = model_serializer_class.get_fields

    def get_fields(self):
        cls = type(self)
        if not getattr(cls, "cache_fields", True):
            return build(self)
        cached = cls.__dict__.get("_built_fields")
        if cached is None:
            fields = build(self)
            cached = cls._built_fields = (fields, _shared_querysets(fields.values()))
        fields, shared = cached
        return copy.deepcopy(fields, dict(shared))

    model_serializer_class.get_fields = get_fields


def _shared_querysets(fields) -> dict[int, object]:
    """``{id(queryset): queryset}`` for every queryset or manager among the fields' arguments, nested ones included
    (a many-related field's child): a deepcopy memo that makes the copies share them."""
    from django.db.models import Manager, QuerySet

    shared: dict[int, object] = {}
    pending = list(fields)
    while pending:
        field = pending.pop()
        for value in [*getattr(field, "_args", ()), *getattr(field, "_kwargs", {}).values()]:
            if isinstance(value, QuerySet | Manager):
                shared[id(value)] = value
            elif isinstance(value, serializers.Field):
                pending.append(value)
    return shared
