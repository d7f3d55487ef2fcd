"""django-filter defaults for the API: date-times are normalized to UTC before they reach the database.

Python accepts offsets such as +19:01 that PostgreSQL refuses; converting first keeps such input a valid query
instead of a server error.
"""

import datetime

from django import forms
from django.db import models
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend, FilterSet


class UTCDateTimeField(forms.DateTimeField):
    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and result.tzinfo is not None:
            result = result.astimezone(datetime.UTC)
        return result


class UTCDateTimeFilter(filters.DateTimeFilter):
    field_class = UTCDateTimeField


class KhizmatFilterSet(FilterSet):
    FILTER_DEFAULTS = {**FilterSet.FILTER_DEFAULTS, models.DateTimeField: {"filter_class": UTCDateTimeFilter}}


class KhizmatFilterBackend(DjangoFilterBackend):
    filterset_base = KhizmatFilterSet
