"""`khizmat check --deploy` passes with the settings production computes from its environment (DEBUG off, secure
cookies, behind a TLS proxy), outside any tenant scope as on the command line; the only silenced checks are the
documented ones (docs/deploy.md "Deploy check")."""

import io
import runpy
import secrets

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import override_settings
from django_scopes import scope

import khizmat.settings
from khizmat.api.filters import KhizmatFilterBackend

# Silenced on purpose, with its reason in settings.py: security.W021 (HSTS preload is the domain owner's decision).
DOCUMENTED_SILENCED = ["security.W021"]
# What the deploy check reads: the security settings and what the schema check builds.
CHECKED = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SILENCED_SYSTEM_CHECKS",
    "SPECTACULAR_SETTINGS",
]


def production_settings(monkeypatch, **env) -> dict:
    """settings.py evaluated afresh in a production environment."""
    unset = ("DEBUG", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "BEHIND_TLS_PROXY")
    # The suite's conftest allows async-unsafe calls (Playwright); production does not (async.E001).
    for name in (*unset, "DJANGO_ALLOW_ASYNC_UNSAFE"):
        monkeypatch.delenv(name, raising=False)
    base = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "khizmat.example.org"}
    for name, value in {**base, **env}.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(khizmat.settings.__file__)
    return {name: values[name] for name in CHECKED if name in values}


def test_check_deploy_passes_behind_a_tls_proxy(monkeypatch):
    production = production_settings(monkeypatch, BEHIND_TLS_PROXY="1")
    assert production["DEBUG"] is False and production["SESSION_COOKIE_SECURE"] is True
    assert production["SILENCED_SYSTEM_CHECKS"] == DOCUMENTED_SILENCED
    KhizmatFilterBackend._filterset_classes.clear()  # built again here, as in a fresh process
    output = io.StringIO()
    # Outside any tenant scope (the suite's fixtures switch scoping off), as `khizmat check --deploy` runs: the
    # schema check builds every filterset, and a scoped query there was a ScopeError (drf_spectacular.E001).
    with override_settings(**production), scope(_enabled=True):
        call_command("check", deploy=True, fail_level="WARNING", stdout=output, stderr=output)
    assert "no issues (1 silenced)" in output.getvalue()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"security.W004", "security.W008"}),  # plain HTTP: no HSTS, no redirect — said, not hidden
        ({"BEHIND_TLS_PROXY": "1", "SECURE_HSTS_SECONDS": "0"}, {"security.W004"}),
    ],
)
def test_without_tls_the_deploy_check_says_so(monkeypatch, env, expected):
    with override_settings(**production_settings(monkeypatch, **env)):
        found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert {message.id for message in found if not message.is_silenced()} == expected
