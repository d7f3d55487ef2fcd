"""The change-password page under its plain name ``password_change`` (Django's templates and the admin use it)."""

from django.urls import path

from khizmat.tenancy.two_factor import PasswordChangeView

urlpatterns = [path("accounts/password/", PasswordChangeView.as_view(), name="password_change")]
