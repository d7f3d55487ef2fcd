"""Failed logins: three limits on top of django-axes, so that a stranger cannot lock out a known login.

axes records each failure per (login, address, browser) in ``AccessAttempt`` and asks its handler how many failures
count against a login attempt. This handler answers with the largest of three counts, each measured against its own
limit over the last ``AXES_COOLOFF_TIME``:

* the (login, address) pair — ``AXES_FAILURE_LIMIT``: guessing one login from one place. Failures from address A
  never count against the same login typed at address B, and a successful login clears its own pair only;
* the address, across every login — ``LOGIN_FAILURE_LIMIT_PER_ADDRESS``: one machine trying many logins (password
  spraying). Set high enough for an office behind one NAT address;
* the login, across every address — ``LOGIN_FAILURE_LIMIT_PER_ACCOUNT``: guessing spread over many addresses. This
  one does not apply at an address the login has signed in from successfully within
  ``LOGIN_KNOWN_ADDRESS_DAYS``: the real user keeps working from their usual office while the account is attacked.

See docs/architecture.md ("Authentication").
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_is_known(username: str, ip_address: str | None) -> bool:
    """Whether ``username`` signed in successfully from ``ip_address`` recently (axes' access log)."""
    if not username or not ip_address:
        return False
    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=ip_address, attempt_time__gte=since
    ).exists()


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with the pair, per-address and per-account limits described above."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        ip_address = getattr(request, "axes_ip_address", None)
        recent = AccessAttempt.objects.all()
        cool_off = get_cool_off(request)
        if cool_off is not None:
            recent = recent.filter(attempt_time__gte=timezone.now() - cool_off)
        limit = get_failure_limit(request, credentials)

        pair = _failures(recent.filter(username=username, ip_address=ip_address)) if username else 0
        if pair >= limit:
            return pair
        if (
            ip_address
            and _failures(recent.filter(ip_address=ip_address)) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        ):
            return limit
        if (
            username
            and _failures(recent.filter(username=username)) >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT
            and not address_is_known(username, ip_address)
        ):
            return limit
        return pair
