"""Tenant isolation, checked for every model and every URL that exists, without a hand-written list.

- every model is a TenantModel or listed, with a reason, in SHARED_MODELS; every model has a factory;
- every URL with an object id shows its model's rows of the active organization only: walked for every role in
  tests/test_role_permissions.py (B's object is 404 for A, A's own object opens for the roles allowed);
- every list page and API list read as organization A shows none of organization B's rows (unique markers in
  every text column of B's rows: khizmat.testing.world), and an API list does list A's row;
- every URL of a model with a counterparty (``COUNTERPARTY_MODELS``: a contract's customer) shows the object to the
  counterparty only while it oversees the owner, and never to a third organization;
- ``Model.objects.for_user(user)`` and the scope return only the user's organizations' rows;
- an unscoped query on a tenant model raises instead of leaking.
"""

import io
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.models import Membership, Organization, Oversight
from khizmat.tenancy.roles import Role, role_has_permission
from khizmat.tenancy.scoping import COUNTERPARTY_MODELS, SHARED_MODELS, TenantModel, tenant_models
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import factory_for, load_all_factories
from khizmat.testing.urls import project_routes

# Routes with an id that show no single model's row, with the reason. Keep this empty where possible.
ISOLATION_EXEMPT: dict[str, str] = {
    "queue:kiosk": "public device page addressed by organization code and secret token (src/khizmat/queue/tests)",
    "queue:board": "public device page addressed by organization code and secret token (src/khizmat/queue/tests)",
    "feedback:tablet": "public device page addressed by organization code and secret token (src/khizmat/feedback/tests)",
    "feedback:rate_application": "citizen page addressed by a signed token (src/khizmat/feedback/tests)",
    "feedback:complaint": "citizen page addressed by a signed token (src/khizmat/feedback/tests)",
    **{
        f"reports:{name}": "public portal page of one organization, by its code (src/khizmat/reports/tests)"
        for name in ("portal_report", "portal_find", "portal_recent", "portal_follow")
    },
    "api:unmatched": "any other path under /api/: a JSON 404 that reads no row (src/khizmat/api/tests)",
    "fieldwork:pickup_schedule": "public schedule of one organization, by its code (src/khizmat/fieldwork/tests)",
    "monitoring:open_data": "public open-data page of one organization, by its code, when it publishes (monitoring/tests)",
    "monitoring:open_data_file": "the same open data as CSV or JSON (src/khizmat/monitoring/tests/test_open_data.py)",
    "monitoring:records": "a KPI's code, not a row: the records of the dashboard's own scope (monitoring/tests)",
    **{
        f"open311:{name}": "public Open311 endpoint; jurisdiction_id selects the organization (reports/tests)"
        for name in ("discovery", "services", "service", "requests", "request", "token")
    },
}


def khizmat_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("khizmat.") and not m.__name__.startswith("Historical")
    ]


def object_routes():
    return [r for r in project_routes() if r.kwargs and r.name not in ISOLATION_EXEMPT]


def test_every_model_is_tenant_scoped_or_declared_shared():
    undeclared = [
        m._meta.label
        for m in khizmat_models()
        if not issubclass(m, TenantModel) and m._meta.label not in SHARED_MODELS
    ]
    assert undeclared == [], (
        f"make these TenantModel or add them to SHARED_MODELS with a reason: {undeclared}"
    )


def test_every_model_has_a_factory():
    factories = load_all_factories()
    missing = [m._meta.label for m in khizmat_models() if m not in factories]
    assert missing == []


def test_every_tenant_unique_constraint_includes_the_organization():
    offenders = []
    for model in tenant_models():
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields and "organization" not in fields:
                offenders.append(f"{model._meta.label}.{constraint.name}")
        for field in model._meta.fields:
            if field.unique and not field.primary_key:
                offenders.append(f"{model._meta.label}.{field.name}")
    assert offenders == []


def test_every_object_route_names_its_model():
    unnamed = [r.name for r in object_routes() if r.model is None and r.name not in ISOLATION_EXEMPT]
    assert unnamed == [], "give these views a `model` (or queryset) so isolation tests cover them"


def test_there_are_object_routes_to_check():
    assert any(issubclass(r.model, TenantModel) for r in object_routes() if r.model)


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label)
def test_for_user_and_scope_return_own_rows_only(model, org_a, org_b, operator_a):
    own = factory_for(model)(organization=org_a)
    foreign = factory_for(model)(organization=org_b)

    visible = set(model.objects.for_user(operator_a).values_list("pk", flat=True))
    assert own.pk in visible
    assert foreign.pk not in visible

    with scope(organization=[org_a.pk]):
        assert set(model.objects.values_list("pk", flat=True)) >= {own.pk}
        assert not model.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_unscoped_query_raises():
    with scope(_enabled=True), pytest.raises(ScopeError):
        list(Membership.objects.all())


@pytest.mark.parametrize("route", [r for r in project_routes() if not r.kwargs], ids=lambda r: r.name)
def test_pages_need_a_login(route, client, db):
    public = {
        "login",
        "core:language_set",
        "services:track",
        "api:schema",
        "api:docs",
        "reports:portal_index",
        "monitoring:open_data_index",  # the directory of organizations that publish their open data
        "core:healthz",  # liveness for load balancers: plain "ok", no data
        "core:home",  # anonymous visitors get the public landing: links to the citizens' pages and the login
    }
    response = client.get(reverse(route.name))
    if route.name in public:
        assert response.status_code in (200, 405)
    elif route.is_api:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in project_routes()
        if not r.kwargs and getattr(r.view_class, "permission", None) and "get" in r.methods
    ],
    ids=lambda r: r.name,
)
def test_outsider_without_membership_is_refused(route, outsider, client):
    client.force_login(outsider)
    response = client.get(reverse(route.name))
    assert response.status_code == 403


# --- Both sides: rows a counterparty reads through oversight ---------------------------------------------------------


# The state in which the counterparty reads a row (the customer reads an act from its submission on; a draft act is
# the enterprise's alone: src/khizmat/contracts/tests/test_pages.py).
COUNTERPARTY_READABLE: dict[str, dict] = {
    "contracts.Act": {"status": "submitted"},
    "contracts.ActLine": {"act__status": "submitted"},
}


def counterparty_routes():
    return [
        r
        for r in object_routes()
        if r.model and issubclass(r.model, TenantModel) and r.model._meta.label in COUNTERPARTY_MODELS
    ]


def _follow(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def test_counterparty_models_are_tenant_models_with_a_path_to_an_organization():
    assert COUNTERPARTY_MODELS, "the contracts app declares its models"
    for label, path in COUNTERPARTY_MODELS.items():
        model = apps.get_model(label)
        assert issubclass(model, TenantModel), label
        field = model
        for name in path.split("__"):
            field = field._meta.get_field(name).related_model
        assert field is Organization, label


def test_counterparty_models_have_object_routes():
    assert counterparty_routes()


@pytest.mark.parametrize("route", counterparty_routes(), ids=lambda r: r.name)
def test_counterparty_sees_the_object_through_oversight_only(route, org_b, member, client):
    """The owner's counterparty (a contract's customer) gets the page while it oversees the owner, 404 without the
    oversight; a third organization — even one overseeing the owner — gets 404."""
    obj = factory_for(route.model)(
        organization=org_b, **COUNTERPARTY_READABLE.get(route.model._meta.label, {})
    )
    counterparty = _follow(obj, COUNTERPARTY_MODELS[route.model._meta.label])
    assert counterparty.pk != org_b.pk
    url = reverse(route.name, kwargs=dict.fromkeys(route.kwargs, obj.pk))
    method = client.get if "get" in route.methods else client.post

    client.force_login(member(counterparty, Role.ADMIN))
    assert method(url).status_code == 404

    Oversight.objects.create(overseer=counterparty, overseen=org_b, kind=OversightKind.OWNER)
    seen = method(url).status_code
    assert seen != 404
    assert seen < 500

    third = OrganizationFactory(kind=OrganizationKind.AIYL_OKMOTU, country=org_b.country)
    Oversight.objects.create(overseer=third, overseen=org_b, kind=OversightKind.OWNER)
    client.force_login(member(third, Role.ADMIN))
    assert method(url).status_code == 404


# --- Every list, read as organization A with organization B's rows present ------------------------------------------

# Pages without an id that show no tenant's rows, with the reason (everything else is read).
LIST_EXEMPT: dict[str, str] = {
    "login": "the login form",
    "logout": "signs out",
    "core:healthz": "liveness probe: plain ok",
    "core:language_set": "sets the language and redirects",
    "core:organization_switch": "POST only (switching organization, tests/test_staff_management)",
    "api:schema": "the OpenAPI document: no rows",
    "api:docs": "Swagger UI: no rows",
    "services:track": "public page: one application by number and PIN (src/khizmat/services/tests)",
    "reports:portal_index": "public national portal: no rows of a tenant (src/khizmat/reports/tests)",
    "api:kpi-list": "the KPI definitions (codes, names, formulas): no rows of a tenant",
    "api:results-list": "sums, not rows: which organizations they add up is src/khizmat/monitoring/tests' check",
}


def list_routes():
    return [r for r in project_routes() if not r.kwargs and "get" in r.methods and r.name not in LIST_EXEMPT]


def list_readers(route) -> list[str]:
    """The roles of organization A that read the list: the administrator (or the first role allowed), and the
    monitor when allowed (its scope is the widest: a region, a country, the overseen organizations). Which role
    may open which page is tests/test_role_permissions.py's."""
    permission = getattr(route.view_class, "permission", None)
    if permission is None:
        return [Role.ADMIN]
    allowed = [role for role in Role.values if role_has_permission(role, permission)]
    readers = [Role.ADMIN if Role.ADMIN in allowed else allowed[0]] if allowed else []
    return readers + [Role.MONITOR] if Role.MONITOR in allowed and Role.MONITOR not in readers else readers


def test_every_list_route_has_a_reader():
    assert [r.name for r in list_routes() if not list_readers(r)] == []


class _HtmlAsPdf:
    """Stands in for WeasyPrint: the "PDF" is the HTML it would print, readable for the markers (and fast)."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs):
        return self.string.encode()


def _readable(response) -> str:
    """The response's text: Excel workbooks unzipped, PDFs as their HTML (see ``_HtmlAsPdf``)."""
    body = b"".join(response) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(name).decode(errors="replace") for name in archive.namelist())
    return body.decode(errors="replace")


@pytest.mark.parametrize("route", list_routes(), ids=lambda r: r.name)
def test_lists_show_no_row_of_another_organization(route, world, db, client, monkeypatch):
    """Each list page and API list, read by every role of A that may open it, contains none of B's markers (any
    text column of any of B's rows, or B's staff's names); an API list of a model lists A's row of it."""
    monkeypatch.setattr("weasyprint.HTML", _HtmlAsPdf)
    problems = []
    for role in list_readers(route):
        client.force_login(world.users[role])
        response = client.get(reverse(route.name), HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code in (302, 405) and not route.is_api:
            continue  # a redirect (e.g. the driver's home) or a POST-only form: no rows
        if response.status_code != 200:
            problems.append(f"{role}: status {response.status_code}")
            continue
        text = _readable(response)
        leaked = world.foreign_markers_in(text)
        if leaked:
            problems.append(f"{role} sees B's {leaked}")
        if 'name="q"' in text:  # a search box: search for B's markers too
            found = client.get(reverse(route.name), {"q": "qzb"}, HTTP_ACCEPT_LANGUAGE="en")
            leaked = world.foreign_markers_in(_readable(found))
            if leaked:
                problems.append(f"{role} finds B's {leaked}")
        own = world.markers_a.get(route.model, set()) if route.is_api else set()
        if own and not any(marker in text for marker in own):
            problems.append(
                f"{role}: A's own {route.model._meta.label} is not listed (the check reads nothing)"
            )
    assert problems == []
