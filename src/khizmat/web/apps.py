from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The shell on top of every domain app: home page per role, search, monitoring, the audit-trail reader,
    language and organization switching, and the ``demo`` and ``generate`` commands. URL names keep the ``core:``
    namespace and templates the ``core/`` folder they had before the shell left ``khizmat.core``."""

    name = "khizmat.web"
    verbose_name = _("Khizmat")

    def ready(self):
        from khizmat.web import navigation  # noqa: F401 - registers menu entries
