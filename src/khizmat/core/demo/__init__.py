"""Demo data for the pilot sites, built by ``khizmat demo``.

The command runs every registered step, in order, inside one transaction. A step is a callable
``step(*, stdout, scale) -> list[DemoLogin]``: it creates or updates its rows (it must be safe to re-run: look rows up by
their natural keys, never duplicate them), may write one progress line to ``stdout``, and returns the logins it
offers, one entry per organization. ``scale`` (1.0 by default) multiplies the volume of generated history
(applications, tickets, payments): tests run the demo at a small scale.

Each app adds its demo data in a module ``khizmat/<app>/demo.py`` that calls :func:`register`; :func:`discover`
imports those modules in the order of ``INSTALLED_APPS``. The foundation (places, organizations, oversight, users:
``khizmat/tenancy/demo.py``) runs first because ``tenancy`` is the first app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from django.apps import apps
from django.utils import translation
from django.utils.module_loading import module_has_submodule

# The password of every demo login. Demo data is for pilots and training, never for a production database.
DEMO_PASSWORD = "khizmat-demo-2026"
PLATFORM_ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class DemoLogin:
    """The demo logins of one organization."""

    code: str
    name: str
    usernames: tuple[str, ...]


class _Writer(Protocol):
    def write(self, msg: str = "", *args, **kwargs) -> None: ...


DemoStep = Callable[..., list[DemoLogin]]

STEPS: list[DemoStep] = []


def register(step: DemoStep) -> DemoStep:
    """Add ``step`` to the end of the demo build (once, however often its module is imported). Usable as a decorator."""
    if step not in STEPS:
        STEPS.append(step)
    return step


def discover() -> list[DemoStep]:
    """Register the ``demo`` module of every Khizmat app that has one, in ``INSTALLED_APPS`` order (``tenancy``,
    the foundation, comes first)."""
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("khizmat.") or app_config.name == "khizmat.core":
            continue
        if module_has_submodule(app_config.module, "demo"):
            import_module(f"{app_config.name}.demo")
    # Whatever imported a demo module earlier (a test, a shell), steps run in app order.
    order = {f"{config.name}.demo": index for index, config in enumerate(apps.get_app_configs())}
    return sorted(STEPS, key=lambda step: order.get(step.__module__, len(order)))


def run_steps(*, stdout: _Writer, scale: float = 1.0) -> list[DemoLogin]:
    """Run every registered step; the caller owns the transaction.

    English is active while the steps run, so that ``name`` on a translated model means the English name.
    """
    logins: list[DemoLogin] = []
    with translation.override("en"):
        for step in discover():
            logins.extend(step(stdout=stdout, scale=scale))
    return logins


def format_usernames(login: DemoLogin) -> str:
    """``bakhmal.{operator,cashier}`` when every username starts with the organization code, else a plain list."""
    prefix = f"{login.code}."
    if login.usernames and all(name.startswith(prefix) for name in login.usernames):
        return prefix + "{" + ",".join(name.removeprefix(prefix) for name in login.usernames) + "}"
    return ", ".join(login.usernames)


def format_logins(logins: list[DemoLogin], *, name_width: int = 48) -> list[str]:
    """The login table printed by the command: one line per organization, then the password."""
    if not logins:
        return ["No demo logins.", f"Platform administrator: {PLATFORM_ADMIN_USERNAME}"]
    code_width = max(len(login.code) for login in logins)
    lines = [f"{'code':<{code_width}} | {'organization':<{name_width}} | usernames"]
    for login in logins:
        name = login.name if len(login.name) <= name_width else login.name[: name_width - 1] + "…"
        lines.append(f"{login.code:<{code_width}} | {name:<{name_width}} | {format_usernames(login)}")
    lines.append(f"Password for every demo login: {DEMO_PASSWORD}")
    lines.append(f"Platform administrator: {PLATFORM_ADMIN_USERNAME}")
    lines.append(
        "Two-factor sign-in is off on `make run` (TWO_FACTOR_REQUIRED=0); with it on, managers and administrators "
        "enroll an authenticator app at their first login."
    )
    return lines
