"""The app-boundaries contract of ``lint-imports`` (khizmat/testing/import_contracts.py) flags what it should."""

from khizmat.testing.import_contracts import boundary_violations

PUBLIC = {"models", "services", "selectors", "demo_people"}
PLUMBING = {"khizmat.core"}


def violations(module, source):
    found = boundary_violations(module, source, root_name="khizmat", public_modules=PUBLIC, plumbing=PLUMBING)
    return [(v["imported"], v["what"]) for v in found]


def test_another_apps_private_name_or_private_module_is_flagged():
    source = (
        "from khizmat.services.demo import _STREETS\n"
        "from khizmat.queue.views import ScreenMixin\n"
        "from khizmat.queue import views\n"
        "import khizmat.reports.tasks\n"
        "from khizmat.tenancy.demo_people import _helper\n"
    )
    assert violations("khizmat.billing.generate", source) == [
        ("khizmat.services.demo", "demo: not a public module of khizmat.services"),
        ("khizmat.queue.views", "views: not a public module of khizmat.queue"),
        ("khizmat.queue", "views: not a public module of khizmat.queue"),
        ("khizmat.reports.tasks", "tasks: not a public module of khizmat.reports"),
        ("khizmat.tenancy.demo_people", "_helper: a private name"),
    ]


def test_public_modules_own_app_plumbing_and_gettext_pass():
    source = (
        "from django.utils.translation import gettext as _\n"
        "from khizmat.billing.views import _private_helper\n"
        "from khizmat.core.demo import _Writer\n"  # plumbing: any module, only its public names
        "from khizmat.core.errors import DomainError\n"
        "from khizmat.services import selectors, services\n"
        "from khizmat.tenancy.demo_people import STREETS\n"
        "from . import forms\n"
    )
    assert violations("khizmat.billing.generate", source) == [
        ("khizmat.core.demo", "_Writer: a private name")
    ]
