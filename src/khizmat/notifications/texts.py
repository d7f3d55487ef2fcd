"""SMS texts about applications, rendered in the citizen's language."""

from django.utils import translation
from django.utils.translation import gettext as _


def application_text(application, event: str, *, reason: str = "") -> str:
    with translation.override(application.applicant_language or "uz"):
        center = str(application.organization)
        params = {
            "number": application.number,
            "center": center,
            "date": application.due_date.strftime("%d.%m.%Y"),
        }
        if event == "application_received":
            return _("Application %(number)s received by %(center)s. Due date: %(date)s.") % params
        if event == "application_ready":
            return _("Application %(number)s is ready. Please collect the result at %(center)s.") % params
        if event == "application_needs_info":
            return _("Application %(number)s: %(center)s needs more information: %(reason)s") % {
                **params,
                "reason": reason,
            }
        if event == "application_rejected":
            return _("Application %(number)s was rejected: %(reason)s. %(center)s") % {
                **params,
                "reason": reason,
            }
        raise ValueError(f"unknown SMS event {event}")
