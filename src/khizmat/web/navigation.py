"""The menu entries of the shell: monitoring, audit trail, search."""

from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register

register(
    NavEntry(
        "core:monitoring",
        _("Organizations"),
        "monitoring.view",
        _("Compare the organizations you oversee: how many there are, of which kind, and who works there."),
        order=10,
    )
)
register(
    NavEntry(
        "core:audit_log",
        _("Audit trail"),
        "audit.view",
        _("Review who changed what and when in your organization."),
        order=30,
    )
)
register(
    NavEntry(
        "core:search",
        _("Search"),
        "search.use",
        _("Find places, organizations and colleagues by name, in Cyrillic or Latin letters."),
        order=60,
    )
)
