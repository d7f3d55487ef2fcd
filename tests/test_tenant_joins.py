"""Joins between tenant tables carry the organization (khizmat.tenancy.tenant_joins).

Every foreign key between two tenant models joins on the organization too, in both directions, so a row is never
joined to another organization's row (and Citus can run the join on one shard). Checked on the SQL Django writes, on
rows, and for every such key of the project.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from khizmat.billing.models import Payment, Subscriber
from khizmat.billing.tests.factories import PaymentFactory, SubscriberFactory
from khizmat.tenancy.tenant_joins import tenant_foreign_keys
from khizmat.tenancy.tests.factories import OrganizationFactory


def _organization_equality(sql: str, left: str, right: str) -> bool:
    q = connection.ops.quote_name
    sql = sql.replace("(", "").replace(")", "")
    one = f"{q(left)}.{q('organization_id')} = {q(right)}.{q('organization_id')}"
    other = f"{q(right)}.{q('organization_id')} = {q(left)}.{q('organization_id')}"
    return one in sql or other in sql


def test_a_forward_join_matches_the_organization():
    with scopes_disabled():
        sql = str(Payment.objects.select_related("subscriber").query)
    join = sql[sql.index("JOIN") :]
    assert _organization_equality(join, "billing_subscriber", "billing_payment"), sql


def test_a_reverse_join_matches_the_organization():
    with scopes_disabled():
        sql = str(Subscriber.objects.filter(payments__amount__gt=0).query)
    join = sql[sql.index("JOIN") :]
    assert _organization_equality(join, "billing_payment", "billing_subscriber"), sql


@pytest.mark.django_db
def test_a_row_pointing_at_another_organizations_row_is_not_joined():
    payment = PaymentFactory()
    stranger = SubscriberFactory(organization=OrganizationFactory(), holder_name="Stranger")
    with scopes_disabled():
        # Only possible behind the application's back (on Citus the composite key refuses it); the join still
        # never crosses.
        Payment.objects.filter(pk=payment.pk).update(subscriber=stranger)
        assert not Payment.objects.filter(subscriber__holder_name="Stranger").exists()
        assert not Subscriber.objects.filter(payments__pk=payment.pk).exists()
        assert list(Payment.objects.select_related("subscriber").filter(pk=payment.pk)) == []


@pytest.mark.django_db
def test_reading_the_related_row_asks_for_the_same_organization():
    payment = PaymentFactory()
    with scopes_disabled():
        payment = Payment.objects.get(pk=payment.pk)
        with CaptureQueriesContext(connection) as queries:
            assert payment.subscriber.organization_id == payment.organization_id
    (query,) = queries.captured_queries
    assert '"organization_id" = ' in query["sql"].replace("`", '"'), query["sql"]


def test_every_key_between_tenant_models_has_the_restriction():
    keys = list(tenant_foreign_keys())
    assert len(keys) > 60
    for field in keys:
        restriction = field.get_extra_restriction("parent", "child")
        assert restriction is not None, f"{field.model._meta.label}.{field.name}"
        assert field.get_extra_restriction(None, "child") is None


@pytest.mark.django_db
def test_saving_a_row_never_writes_its_organization_and_asks_for_it():
    payment = PaymentFactory()
    with scopes_disabled():
        payment = Payment.objects.get(pk=payment.pk)
        payment.payer_name = "Renamed"
        with CaptureQueriesContext(connection) as queries:
            payment.save()
    (update,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    head, where = update.split(" WHERE ")
    assert "organization_id" not in head
    assert "organization_id" in where


@pytest.mark.django_db
def test_a_row_never_moves_to_another_organization():
    payment = PaymentFactory()
    elsewhere = OrganizationFactory()
    with scopes_disabled():
        loaded = Payment.objects.get(pk=payment.pk)
        loaded.organization = elsewhere
        with pytest.raises(ValueError, match="never moves"):
            loaded.save()
        payment.organization = elsewhere  # the instance that was created, not loaded
        with pytest.raises(ValueError, match="never moves"):
            payment.save()
        assert Payment.objects.get(pk=payment.pk).organization_id != elsewhere.pk
