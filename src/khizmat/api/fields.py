"""Serializer fields shared by every API module."""

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
