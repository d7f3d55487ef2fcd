"""Pagination for the API (kept apart from base.py: DRF imports it while building its own view classes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PageWithoutCount(BasePagination):
    """Page-number pagination that never counts the table: it reads one row more than the page to know whether a
    next page exists. Large tables (reports, payments) stay fast."""

    page_size = 50
    max_page_size = 500
    max_offset = 2**40
    page_query_param = "page"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page = self._positive(request, self.page_query_param, 1, None)
        self.size = self._positive(request, self.page_size_query_param, self.page_size, self.max_page_size)
        offset = (self.page - 1) * self.size
        if offset > self.max_offset:  # far beyond any table: empty, without asking the database to overflow
            self.has_next = False
            return []
        rows = list(queryset[offset : offset + self.size + 1])
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    @staticmethod
    def _positive(request, name: str, default: int, maximum: int | None) -> int:
        """A paging parameter is a whole number from 1 (to ``maximum``); anything else is the client's error (400),
        not silently another page."""
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (maximum is not None and value > maximum):
            if maximum is None:
                message = _("Enter a whole number from 1.")
            else:
                message = _("Enter a whole number from 1 to %(maximum)s.") % {"maximum": maximum}
            raise ValidationError({name: [message]}, code="invalid_page")
        return value

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, self.page_query_param, self.page + 1) if self.has_next else None
        if self.page <= 1:
            previous = None
        elif self.page == 2:
            previous = remove_query_param(url, self.page_query_param)
        else:
            previous = replace_query_param(url, self.page_query_param, self.page - 1)
        return Response({"next": next_url, "previous": previous, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
