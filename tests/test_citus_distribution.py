"""`khizmat distribute` (khizmat.tenancy.distribution): the plan over this schema and every reason to refuse.

The distribution itself needs a Citus cluster (`make test-citus` runs the whole suite on one, distributed by this
code); here, on plain PostgreSQL, the plan must find every tenant table and the shared tables they point to, the
schema must have nothing that stops it, and each kind of problem must be named.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from khizmat.tenancy import distribution
from khizmat.tenancy.distribution import DistributionRefused, ForeignKey, Plan


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Citus distributes PostgreSQL tables"
)


@postgresql_only
@pytest.mark.django_db
def test_the_schema_distributes_tenant_tables_and_their_history_with_six_reference_tables():
    plan = distribution.plan()
    assert plan.problems == []
    assert {"billing_payment", "billing_historicalpayment", "trainings_eventparticipation"} <= set(
        plan.distributed
    )
    assert "trainings_historicaleventparticipation" in plan.distributed
    assert plan.distributed["billing_historicalpayment"] == "history_id"
    assert plan.reference == [
        "tenancy_country",
        "tenancy_region",
        "tenancy_district",
        "tenancy_settlement",
        "tenancy_organization",
        "tenancy_user",
    ]
    composite = {(k.table, k.columns[0]) for k in plan.foreign_keys if plan.composite(k)}
    assert ("billing_payment", "subscriber_id") in composite
    assert (
        "billing_payment",
        "cashier_id",
    ) not in composite  # a user is shared: a plain key to a reference table


@postgresql_only
@pytest.mark.django_db
def test_check_prints_the_plan_and_changes_nothing(capsys):
    call_command("distribute", "--check")
    out = capsys.readouterr().out
    assert "tenancy_organization" in out


@postgresql_only
@pytest.mark.django_db
def test_without_the_citus_extension_nothing_is_distributed():
    with pytest.raises(DistributionRefused) as refused:
        distribution.distribute()
    assert "CREATE EXTENSION citus" in refused.value.problems[0]
    with pytest.raises(CommandError, match="Nothing was distributed"):
        call_command("distribute")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal of other databases")
def test_other_databases_are_refused():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("distribute")


@postgresql_only
@pytest.mark.django_db
def test_each_kind_of_problem_is_named():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TABLE probe_parent (organization_id bigint, id bigint PRIMARY KEY, code text UNIQUE);
            CREATE TABLE probe_child (organization_id bigint NOT NULL, id bigint PRIMARY KEY,
                                      parent_id bigint REFERENCES probe_parent (id));
            CREATE TABLE probe_shared (id bigint PRIMARY KEY, parent_id bigint REFERENCES probe_parent (id));
            INSERT INTO probe_parent VALUES (1, 1, 'a'), (NULL, 2, 'b');
            INSERT INTO probe_child VALUES (2, 1, 1);
            """
        )
        keys = [k for k in distribution._foreign_keys(cursor) if k.table.startswith("probe_")]
        plan = Plan(
            distributed={"probe_parent": "id", "probe_child": "id"},
            reference=[],
            foreign_keys=[k for k in keys if k.target == "probe_parent"],
        )
        problems = distribution._problems(cursor, plan)
    text = "\n".join(problems)
    assert "probe_parent has 1 rows without an organization" in text
    assert "unique index" in text and "probe_parent_code_key" in text
    assert "probe_shared is shared but points to the tenant table probe_parent" in text
    assert "1 rows of probe_child point through parent_id to a row of probe_parent" in text
    assert len(problems) == 4


def test_a_key_between_tenant_tables_becomes_composite_and_keeps_its_timing():
    key = ForeignKey(
        name="pay_sub_fk",
        table="billing_payment",
        columns=["subscriber_id"],
        target="billing_subscriber",
        target_columns=["id"],
        definition="FOREIGN KEY (subscriber_id) REFERENCES billing_subscriber(id) DEFERRABLE INITIALLY DEFERRED",
    )
    assert distribution._composite(key) == (
        'FOREIGN KEY (organization_id, "subscriber_id") REFERENCES "billing_subscriber" (organization_id, "id") '
        "DEFERRABLE INITIALLY DEFERRED"
    )


@postgresql_only
def test_the_citus_backend_groups_by_every_selected_column():
    """With ``(organization_id, id)`` keys, ``GROUP BY id`` no longer covers the row: DATABASE_CITUS=1 lists them all."""
    from django.db.models import Count

    from khizmat.core.citus_backend.base import DatabaseWrapper
    from khizmat.trainings.models import Event

    citus = DatabaseWrapper(connection.settings_dict, alias="citus-probe")
    query = Event.objects.annotate(participants_count=Count("participants")).query
    plain = query.get_compiler(connection=connection).as_sql()[0].split("GROUP BY")[1]
    grouped = query.get_compiler(connection=citus).as_sql()[0].split("GROUP BY")[1]
    assert '"trainings_event"."organization_id"' not in plain
    assert '"trainings_event"."organization_id"' in grouped


def test_the_citus_backend_reports_a_workers_unique_violation_as_an_integrity_error():
    import psycopg
    from django.db import IntegrityError, InternalError

    from khizmat.core.citus_backend.base import DatabaseWrapper

    citus = DatabaseWrapper(connection.settings_dict, alias="citus-probe")
    with pytest.raises(IntegrityError), citus.wrap_database_errors:
        raise psycopg.errors.InternalError_(
            'duplicate key value violates unique constraint "payment_unique_key_102886"'
        )
    with pytest.raises(InternalError), citus.wrap_database_errors:
        raise psycopg.errors.InternalError_("could not connect to a worker")
