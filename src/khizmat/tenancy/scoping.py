"""Tenant scoping, written once.

Every tenant-owned table inherits :class:`TenantModel`: an ``organization`` column and a django-scopes manager.
A query on such a model outside an active scope raises ``ScopeError`` instead of leaking rows. The middleware
(:mod:`khizmat.tenancy.middleware`) runs each request inside ``scope(organization=[...])`` with the organizations
the user's active membership may see; tasks and commands enter the scope with :func:`organization_scope`.

Selectors still filter explicitly (``Model.objects.for_organization(org)``); the scope is the second wall.
``scopes_disabled()`` is used only in migrations, the staff admin, monitoring selectors and tests.
"""

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, scope, scopes_disabled

__all__ = [
    "COUNTERPARTY_MODELS",
    "SHARED_MODELS",
    "TenantModel",
    "TenantQuerySet",
    "organization_scope",
    "owned_by_organization",
    "register_counterparty_models",
    "scope",
    "scopes_disabled",
    "tenant_models",
]


class TenantQuerySet(models.QuerySet):
    def for_organization(self, organization) -> "TenantQuerySet":
        return self.filter(organization=organization)

    def for_user(self, user) -> "TenantQuerySet":
        """Rows of the organizations the user's active memberships may see (monitors: their region/country)."""
        from khizmat.tenancy.selectors import organization_ids_visible_to

        return self.filter(organization_id__in=organization_ids_visible_to(user))


def TenantManager():
    """A django-scopes manager on ``organization`` whose querysets know ``for_organization`` and ``for_user``."""
    return ScopedManager(
        _manager_class=models.Manager.from_queryset(TenantQuerySet), organization="organization"
    )


class TenantModel(models.Model):
    """A row owned by one organization (the tenant). Unique constraints must include ``organization``."""

    organization = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )

    objects = TenantManager()

    class Meta:
        abstract = True

    # A row never moves to another organization. Saving an existing row updates it ``WHERE id = … AND
    # organization_id = …`` and never writes the organization: on Citus the organization is the distribution column,
    # which an UPDATE may not set, and the extra condition sends the statement to the one shard holding the row.
    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored_organization_id", None)
        if stored is not None and stored != self.organization_id:
            raise ValueError(
                f"{self._meta.label} {self.pk} belongs to organization {stored}: a row never moves to another one."
            )
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_organization_id = instance.__dict__.get("organization_id")
        return instance

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        result = super()._do_insert(manager, using, fields, returning_fields, raw)
        self._stored_organization_id = self.organization_id
        return result

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        stored = getattr(self, "_stored_organization_id", None) or self.organization_id
        values = [value for value in values if value[0].attname != "organization_id"]
        return super()._do_update(
            base_qs.filter(organization_id=stored), using, pk_val, values, update_fields, forced_update
        )


@contextmanager
def organization_scope(organizations: Iterable):
    """Run a task or command inside the scope of the given organizations (instances or primary keys)."""
    pks = [getattr(org, "pk", org) for org in organizations]
    with scope(organization=pks):
        yield


# Models that are not owned by one tenant, with the reason. tests/test_tenant_isolation.py fails on any model that
# is neither a TenantModel nor listed here, so a new table cannot silently skip scoping.
SHARED_MODELS: dict[str, str] = {
    "tenancy.Country": "reference data shared by all tenants",
    "tenancy.Region": "reference data shared by all tenants",
    "tenancy.District": "reference data shared by all tenants",
    "tenancy.Settlement": "reference data shared by all tenants",
    "tenancy.CalendarDay": "the working-day calendar of a country, shared by its tenants",
    "tenancy.Organization": "the tenant itself",
    "tenancy.Oversight": "relation between tenants, maintained by platform administrators",
    "tenancy.User": "a person may belong to several organizations through memberships",
    "khizmat_api.ApiToken": "a user's credential, valid in every organization the user belongs to",
    "tenancy.RetentionRun": "one run of the retention command over every organization (counts only)",
}


# Tenant models that a second organization, the counterparty, may read besides their owner, with the path from the
# model to that organization (e.g. ``"customer"``, ``"contract__customer"``). The counterparty reads them only while it
# oversees the owner (tenancy.Oversight, overseer = counterparty) and only on pages that widen the scope for them
# (the contracts app). Apps declare theirs with :func:`register_counterparty_models`; tests/test_tenant_isolation.py
# checks every object URL of these models from both sides (the counterparty with and without the oversight, and a
# third organization).
COUNTERPARTY_MODELS: dict[str, str] = {}


def register_counterparty_models(models_paths: dict[str, str]) -> None:
    """Declare ``{"app.Model": "path__to__counterparty_organization"}`` (from an app's ``AppConfig.ready``)."""
    COUNTERPARTY_MODELS.update(models_paths)


def owned_by_organization(model) -> bool:
    """A tenant model, or the history (django-simple-history) of one: its rows carry their owner's organization."""
    owner = getattr(model, "instance_type", None)  # a history model's tracked model
    return issubclass(model, TenantModel) or (isinstance(owner, type) and issubclass(owner, TenantModel))


def tenant_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, TenantModel)]
