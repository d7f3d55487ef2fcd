"""What a signed-in browser session must satisfy before it reaches a page, in this order:

1. ``SessionTimeoutMiddleware``: the session is signed out after ``SESSION_IDLE_SECONDS`` without a request and
   ``SESSION_ABSOLUTE_SECONDS`` after signing in;
2. ``TwoFactorMiddleware``: managers, administrators and platform staff prove a second factor (TOTP or a backup
   code) — enrolling first when they have none; anyone who enrolled is always asked;
3. ``PasswordChangeRequiredMiddleware``: a password an administrator set is replaced by the user's own.

Each answers a page request with a redirect (``HX-Redirect`` for htmx, so that a fragment never becomes a login
form) and an API request with JSON. API token requests carry no session: only the password rule applies to them.
See docs/architecture.md ("Authentication").
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from khizmat.tenancy.permissions import has_two_factor_device, two_factor_required

LOGIN_AT = "khizmat_login_at"
SEEN_AT = "khizmat_seen_at"
SEEN_EVERY_SECONDS = (
    60  # last activity is written at most once a minute: most requests do not save the session
)


# A signed-in session with no second factor to ask for (no device, a role that needs none) is checked again this
# often, not on every request (two queries each): a device enrolled elsewhere or a role that now needs one is asked
# for within this time.
NO_FACTOR_CHECKED_AT = "khizmat_no_factor_checked_at"
NO_FACTOR_RECHECK_SECONDS = 300


def _now() -> int:
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="khizmat_session_clock")
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[SEEN_AT] = _now()


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _is_static(request) -> bool:
    return request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL))


def _session_signed_in(request) -> bool:
    """Signed in through the session (a login form), not through an API token."""
    return request.user.is_authenticated and BACKEND_SESSION_KEY in request.session


def _send_to(request, url: str):
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _with_next(url: str, request) -> str:
    if request.method == "GET" and not getattr(request, "htmx", False):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hasattr(request, "session") and _session_signed_in(request):
            now = _now()
            login_at = request.session.get(LOGIN_AT)
            seen_at = request.session.get(SEEN_AT)
            if login_at is None or seen_at is None:  # signed in before this rule existed
                request.session[LOGIN_AT] = request.session[SEEN_AT] = now
            elif (
                now - seen_at > settings.SESSION_IDLE_SECONDS
                or now - login_at > settings.SESSION_ABSOLUTE_SECONDS
            ):
                idle = now - seen_at > settings.SESSION_IDLE_SECONDS
                logout(request)
                if _is_api(request):
                    return self.get_response(request)  # answered as any request without credentials
                if idle:
                    message = _(
                        "You were signed out after %(minutes)d minutes without activity. Log in again."
                    ) % {"minutes": settings.SESSION_IDLE_SECONDS // 60}
                else:
                    message = _("You were signed out %(hours)d hours after logging in. Log in again.") % {
                        "hours": settings.SESSION_ABSOLUTE_SECONDS // 3600
                    }
                messages.warning(request, message)
                return _send_to(request, _with_next(reverse(settings.LOGIN_URL), request))
            elif now - seen_at >= SEEN_EVERY_SECONDS:
                request.session[SEEN_AT] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Sends a signed-in, unverified session to the verification step (it has a device) or to enrollment (it must
    have one). The pages of those steps, logging out and static files stay open."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = None

    def __call__(self, request):
        if self.open_paths is None:
            self.open_paths = {
                reverse("tenancy:two_factor_verify"),
                reverse("tenancy:two_factor_enroll"),
                reverse("logout"),
                reverse("admin:logout"),
                reverse("login"),
                reverse("admin:login"),
            }
        if (
            hasattr(request, "session")
            and _session_signed_in(request)
            and request.path not in self.open_paths
            and not _is_static(request)
            and not request.user.is_verified()
        ):
            checked_at = request.session.get(NO_FACTOR_CHECKED_AT)
            if checked_at is not None and _now() - checked_at < NO_FACTOR_RECHECK_SECONDS:
                return self.get_response(request)
            if has_two_factor_device(request.user):
                target = "tenancy:two_factor_verify"
            elif settings.TWO_FACTOR_REQUIRED and two_factor_required(request.user):
                target = "tenancy:two_factor_enroll"
            else:
                request.session[NO_FACTOR_CHECKED_AT] = _now()
                return self.get_response(request)
            if _is_api(request):
                return JsonResponse(
                    {
                        "code": "two_factor_required",
                        "detail": _("Confirm your sign-in with your authenticator app first."),
                    },
                    status=403,
                )
            return _send_to(request, _with_next(reverse(target), request))
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user whose password an administrator set reaches only the change-password page (and logging out) until
    they choose their own; their API token is refused with 403."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = None

    def __call__(self, request):
        if self.open_paths is None:
            self.open_paths = {
                reverse("password_change"),
                reverse("logout"),
                reverse("admin:logout"),
                reverse("tenancy:two_factor_verify"),
                reverse("tenancy:two_factor_enroll"),
            }
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and request.path not in self.open_paths
            and not _is_static(request)
        ):
            message = _("Your password was set by an administrator. Choose your own password to continue.")
            if _is_api(request):
                return JsonResponse({"code": "password_change_required", "detail": message}, status=403)
            messages.warning(request, message)
            return _send_to(request, reverse("password_change"))
        return self.get_response(request)
