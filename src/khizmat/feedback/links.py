"""Signed links for feedback without a login: the QR code on an application's receipt carries one."""

from django.core import signing
from django.urls import reverse

SALT = "khizmat.feedback.application"
MAX_AGE_SECONDS = 400 * 24 * 3600  # a receipt stays valid for more than a year


def application_token(application) -> str:
    return signing.dumps([application.organization_id, application.pk], salt=SALT, compress=True)


def application_feedback_path(application) -> str:
    return reverse("feedback:rate_application", args=[application_token(application)])


def read_application_token(token: str) -> tuple[int, int] | None:
    try:
        organization_id, application_id = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(organization_id), int(application_id)
