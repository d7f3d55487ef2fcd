"""Answers under ``/api/`` are JSON, whatever goes wrong: an unmatched path, a 404 raised outside DRF, a crash."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound

API_PREFIX = "/api/"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def unmatched(request, rest=""):
    """Any path under ``/api/`` that no endpoint serves: a JSON 404, not the HTML page of the web interface."""
    raise NotFound(_("There is no API endpoint at this address. The list of endpoints is at /api/schema/."))


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_404(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def error_500(request):
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    return defaults.server_error(request)
