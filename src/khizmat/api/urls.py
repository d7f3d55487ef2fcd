"""``/api/v1/``: one router; each app registers its viewsets in ``<app>/api/__init__.py:register(router)``."""

import importlib

from django.apps import apps
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from khizmat.api.views import unmatched

router = DefaultRouter()
for config in apps.get_app_configs():
    if config.name.startswith("khizmat.") and config.name != "khizmat.api":
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.api":
                raise
            continue
        module.register(router)

app_name = "api"

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script at its own URL: the strict CSP allows no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    # Last: every other path under /api/ answers a JSON 404 (the web interface's HTML page is for people).
    re_path(r"^api/(?P<rest>.*)$", unmatched, name="unmatched"),
]
