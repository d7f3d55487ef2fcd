"""django-filter defaults for the API: date-times are normalized to UTC before they reach the database.

Python accepts offsets such as +19:01 that PostgreSQL refuses; converting first keeps such input a valid query
instead of a server error.
"""

import datetime

from django import forms
from django.db import models
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend, FilterSet
from django_scopes import scopes_disabled


class UTCDateTimeField(forms.DateTimeField):
    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and result.tzinfo is not None:
            result = result.astimezone(datetime.UTC)
        return result


class UTCDateTimeFilter(filters.DateTimeFilter):
    field_class = UTCDateTimeField


def _per_request_choices(field):
    """The choices of a foreign-key filter, read on each request: the filter classes are built once per process
    (below), and a queryset made then would keep the tenant scope of the first request that built it."""
    model = field.remote_field.model
    limit = field.get_limit_choices_to()

    def queryset(request):
        return model._default_manager.complex_filter(limit)

    return queryset


class KhizmatFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.DateTimeField: {"filter_class": UTCDateTimeFilter},
        models.ForeignKey: {
            "filter_class": filters.ModelChoiceFilter,
            "extra": lambda f: {"queryset": _per_request_choices(f)},
        },
        models.OneToOneField: {
            "filter_class": filters.ModelChoiceFilter,
            "extra": lambda f: {"queryset": _per_request_choices(f)},
        },
    }


class KhizmatFilterBackend(DjangoFilterBackend):
    filterset_base = KhizmatFilterSet

    # django-filter builds a FilterSet class from ``filterset_fields`` on every request (a metaclass run that
    # resolves each field: a third of a detail request's time in the profile). The class depends only on the view
    # and the model, so it is built once per process.
    _filterset_classes: dict = {}

    def filter_queryset(self, request, queryset, view):
        # One object by its id (retrieve, update, an action on it): the list's filters do not apply, and building
        # their form costs a quarter of the request.
        if getattr(view, "detail", False):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_class(self, view, queryset=None):
        key = (type(view), getattr(queryset, "model", None))
        try:
            return self._filterset_classes[key]
        except KeyError:
            # Building the class resolves each field's lookups through ``Model._default_manager.all().query`` (no
            # row is read); outside a request (``khizmat spectacular --file``, ``check --deploy``) no tenant scope is
            # active, so the class is built with the scope switched off. Rows are still read in the request's scope.
            with scopes_disabled():
                built = self._filterset_classes[key] = super().get_filterset_class(view, queryset)
            return built
