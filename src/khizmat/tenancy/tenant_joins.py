"""Joins between tenant tables carry the organization.

A foreign key between two tenant models (``Payment.subscriber``, ``RouteStop.report``…) joins on ``id`` alone in the
SQL Django writes. Here every such key also joins on ``organization_id``: ``JOIN billing_subscriber s ON
s.id = p.subscriber_id AND s.organization_id = p.organization_id``. On one PostgreSQL server this is a second wall
between tenants (a row can never be joined to another organization's row, whatever a query forgets); on Citus it is
what lets a join of distributed tables run on the one shard that holds both rows, since the database keys are
``(organization_id, id)`` there (:mod:`khizmat.tenancy.distribution`). Reading ``payment.subscriber`` also asks for
the payment's organization, which routes that query to its shard.

Installed on every such key when the app registry is ready (``TenancyConfig.ready``), so a new key follows the rule
without knowing it; ``tests/test_tenant_joins.py`` checks the SQL.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models.lookups import Exact

from khizmat.tenancy.scoping import TenantModel, owned_by_organization

ORGANIZATION = "organization"


def _organization_owned_models():
    """Tenant models and their history models (django-simple-history copies the organization column)."""
    from django.apps import apps

    for model in apps.get_models():
        if owned_by_organization(model) and _has_organization(model):
            yield model


def _has_organization(model) -> bool:
    try:
        return model._meta.get_field(ORGANIZATION).concrete
    except FieldDoesNotExist:  # a history model that leaves the organization out
        return False


def tenant_foreign_keys():
    """Every forward foreign key (or one-to-one) from a tenant model, or a tenant model's history, to a tenant
    model."""
    for model in _organization_owned_models():
        for field in model._meta.concrete_fields:
            related = field.related_model
            if (
                (field.many_to_one or field.one_to_one)
                and isinstance(related, type)
                and issubclass(related, TenantModel)
                and field.name != ORGANIZATION
            ):
                yield field


def install() -> None:
    for field in tenant_foreign_keys():
        local = field.model._meta.get_field(ORGANIZATION)
        remote = field.related_model._meta.get_field(ORGANIZATION)
        field.get_extra_restriction = _restriction(local, remote)
        field.get_extra_descriptor_filter = _descriptor_filter(local)


def _restriction(local, remote):
    def get_extra_restriction(alias, related_alias):
        # ``alias`` is the referenced table's alias, ``related_alias`` the referencing one's (the reverse relation
        # swaps them before calling this). Django passes None where it cannot name both sides (subquery
        # pushdown); the join on the key alone stays correct there.
        if alias is None or related_alias is None:
            return None
        return Exact(remote.get_col(alias), local.get_col(related_alias))

    return get_extra_restriction


def _descriptor_filter(local):
    def get_extra_descriptor_filter(instance):
        organization_id = getattr(instance, local.attname, None)
        return {f"{ORGANIZATION}_id": organization_id} if organization_id is not None else {}

    return get_extra_descriptor_filter
