"""Two-factor sign-in (TOTP with django-otp): enrollment with a QR code, verification after the password, backup
codes shown once. Who must use it: :func:`khizmat.tenancy.security.two_factor_required`."""

import secrets
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khizmat.core.errors import DomainError
from khizmat.tenancy import services
from khizmat.tenancy.models import User
from khizmat.tenancy.permissions import has_two_factor_device

AUTHENTICATOR = "authenticator"
BACKUP_CODES = "backup codes"


def _backup_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)
    return "".join(secrets.choice(alphabet) for _position in range(10))


def two_factor_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator the user is enrolling (unconfirmed until a first right code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=AUTHENTICATOR)


@transaction.atomic
def two_factor_enroll(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the pending authenticator with its first code; it replaces any earlier one, and a new set of backup
    codes replaces the old. Returns the backup codes (stored hashed by nobody else: shown once). Raises DomainError
    on a wrong code."""
    if not device.verify_token(token.strip().replace(" ", "")):
        raise DomainError(
            _("This code is not right. Type the six digits your app shows now."), code="otp_wrong"
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP_CODES, confirmed=True)
    codes = [_backup_code() for _index in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    # Audited: the user's history records who enrolled a new authenticator, and when.
    user.two_factor_enrolled_at = timezone.now()
    user._history_user = user
    user.save(update_fields=["two_factor_enrolled_at"])
    return codes


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The six digits of your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """After the password: the code of the authenticator app, or a backup code (each works once)."""

    form_class = CodeForm
    template_name = "tenancy/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_two_factor_device(request.user):
            return redirect("tenancy:two_factor_enroll")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)

    def form_valid(self, form):
        device = match_token(self.request.user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is None:
            form.add_error("code", _("This code is not right. Type the six digits your app shows now."))
            return self.form_invalid(form)
        otp_login(self.request, device)
        return redirect(_next_url(self.request))


class TwoFactorEnrollView(LoginRequiredMixin, FormView):
    """Scan the QR code (or type the key), confirm with a first code, then see the backup codes once."""

    form_class = CodeForm
    template_name = "tenancy/two_factor_enroll.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and has_two_factor_device(user) and not user.is_verified():
            return redirect("tenancy:two_factor_verify")  # a second device only after proving the first
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = two_factor_device_pending(user=self.request.user)
        return super().get_context_data(
            qr_svg=segno.make_qr(device.config_url, error="m").svg_inline(scale=4),
            secret=" ".join(
                b32encode(device.bin_key).decode().rstrip("=")[i : i + 4] for i in range(0, 32, 4)
            ),
            next=_next_url(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        device = two_factor_device_pending(user=self.request.user)
        try:
            codes = two_factor_enroll(user=self.request.user, device=device, token=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        otp_login(self.request, device)
        return render(
            self.request,
            "tenancy/two_factor_backup_codes.html",
            {"codes": codes, "next": _next_url(self.request)},
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change-password page; choosing one's own password lifts the administrator-set mark."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        return response
