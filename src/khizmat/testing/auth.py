"""Signing test clients in as a fully verified session.

Tests call ``client.force_login(user)``; managers, administrators and staff would then be sent to the two-factor
step like a real session that only gave its password. The root conftest wraps ``Client._login`` with
:func:`mark_two_factor_verified`, so such a session is verified the way django-otp's middleware checks it: through a
confirmed device of the user, recorded in the session. Tests of the two-factor step itself log in through the
login form (no wrapper) or call :func:`forget_two_factor`.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from khizmat.tenancy.permissions import two_factor_required

TEST_DEVICE = "test authenticator"


def mark_two_factor_verified(client, user) -> None:
    if not two_factor_required(user):
        return
    device = TOTPDevice.objects.filter(user=user, name=TEST_DEVICE, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def forget_two_factor(client) -> None:
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()
