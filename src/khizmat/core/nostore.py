"""Answers that may carry personal data are not kept by browsers or proxies (OWASP ASVS 8.2.1).

``NoStoreMiddleware`` marks ``Cache-Control: no-store`` (and ``Pragma: no-cache`` for HTTP/1.0 caches) on every answer
to a logged-in user, whatever the page, export or PDF, and on every answer under ``/api/``. A view that serves
public, non-personal content and wants it cached says so with ``Cache-Control: public`` (e.g.
``@cache_control(public=True, max_age=...)``); such an answer is left as the view made it. Static files never get
here: WhiteNoise answers them earlier with their long cache.
"""

from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"


def _explicitly_public(response) -> bool:
    return "public" in {
        part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")
    }


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = request.path_info.startswith(API_PREFIX) or (user is not None and user.is_authenticated)
        if personal and not _explicitly_public(response):
            patch_cache_control(
                response, no_store=True, no_cache=True, must_revalidate=True, private=True, max_age=0
            )
            response["Pragma"] = "no-cache"
        return response
