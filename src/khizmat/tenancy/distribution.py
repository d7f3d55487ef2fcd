"""Scale-out on Citus: every tenant table distributed by organization, colocated; the shared tables they point to
replicated as reference tables.

Citus needs the distribution column in every primary and unique key and in every foreign key between distributed
tables. The models keep Django's single ``id`` (the ORM never needs more); at the database level the plan below
turns each tenant table's primary key into ``(organization_id, id)`` and each foreign key between tenant tables into
``(organization_id, x_id) → (organization_id, id)``, so a row can only point at a row of its own organization. The
joins the ORM writes between tenant tables carry the same equality (:mod:`khizmat.tenancy.tenant_joins`), which lets
Citus run them on one shard.

``khizmat distribute`` runs :func:`distribute`; ``--check`` only prints the plan and what would stop it. Every step is
skipped when it is already done, so a run that stopped half-way is completed by running it again. Run it after
``migrate`` on a database whose coordinator has the ``citus`` extension and its workers registered (docs/deploy.md).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection as default_connection
from django.utils.translation import gettext as _

DISTRIBUTION_COLUMN = "organization_id"


@dataclass
class ForeignKey:
    name: str
    table: str
    columns: list[str]
    target: str
    target_columns: list[str]
    definition: str


@dataclass
class Plan:
    distributed: dict[str, str]  # table → its primary key column, in a stable order
    reference: list[str]  # shared tables the tenant tables point to (and what those point to), parents first
    foreign_keys: list[
        ForeignKey
    ]  # every foreign key from or to a distributed table, rebuilt after distribution
    problems: list[str] = field(default_factory=list)
    already_distributed: set[str] = field(default_factory=set)
    already_reference: set[str] = field(default_factory=set)

    def composite(self, key: ForeignKey) -> bool:
        return key.table in self.distributed and key.target in self.distributed


def tenant_tables() -> dict[str, str]:
    """``{table: primary key column}`` of every tenant model and of its history (django-simple-history)."""
    from khizmat.tenancy.scoping import owned_by_organization

    tables: dict[str, str] = {}
    for model in sorted(apps.get_models(include_auto_created=True), key=lambda m: m._meta.db_table):
        opts = model._meta
        if not opts.managed or opts.proxy:
            continue
        if owned_by_organization(model):
            tables[opts.db_table] = opts.pk.column
    return tables


def _rows(cursor, sql: str, params=()) -> list[tuple]:
    cursor.execute(sql, params)
    return cursor.fetchall()


def _foreign_keys(cursor) -> list[ForeignKey]:
    rows = _rows(
        cursor,
        """
        SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
               ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i),
               pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        ORDER BY 2, 1
        """,
    )
    return [
        ForeignKey(name, table, list(cols), target, list(tcols), d)
        for name, table, target, cols, tcols, d in rows
    ]


def _citus_tables(cursor) -> dict[str, str]:
    """``{table: 'distributed' | 'reference' | 'local'}`` from Citus's metadata (empty without Citus)."""
    if not _rows(cursor, "SELECT 1 FROM pg_extension WHERE extname = 'citus'"):
        return {}
    return dict(_rows(cursor, "SELECT table_name::text, citus_table_type FROM citus_tables"))


def plan(connection=None) -> Plan:
    """What :func:`distribute` would do on this database, and what stops it (``problems``, translated)."""
    connection = connection or default_connection
    distributed = tenant_tables()
    with connection.cursor() as cursor:
        existing = {
            name for (name,) in _rows(cursor, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        distributed = {table: pk for table, pk in distributed.items() if table in existing}
        keys = _foreign_keys(cursor)
        citus = _citus_tables(cursor)
        result = Plan(
            distributed=distributed,
            reference=_reference_tables(distributed, keys),
            foreign_keys=[k for k in keys if k.table in distributed or k.target in distributed],
            already_distributed={t for t, kind in citus.items() if kind == "distributed"},
            already_reference={t for t, kind in citus.items() if kind == "reference"},
        )
        result.problems = _problems(cursor, result)
    return result


def _reference_tables(distributed: dict[str, str], keys: list[ForeignKey]) -> list[str]:
    """Shared tables a tenant table points to, and what they point to in turn, each after the tables it needs."""
    targets: dict[str, set[str]] = {}
    for key in keys:
        if key.table != key.target:
            targets.setdefault(key.table, set()).add(key.target)
    needed: list[str] = []
    pending = sorted({t for table in distributed for t in targets.get(table, ()) if t not in distributed})
    while pending:
        table = pending.pop(0)
        if table in needed:
            continue
        needed.append(table)
        pending.extend(sorted(t for t in targets.get(table, ()) if t not in distributed and t not in needed))
    ordered: list[str] = []

    def visit(table: str) -> None:
        if table in ordered:
            return
        for parent in sorted(targets.get(table, ())):
            if parent in needed and parent != table:
                visit(parent)
        ordered.append(table)

    for table in needed:
        visit(table)
    return ordered


def _problems(cursor, result: Plan) -> list[str]:
    problems: list[str] = []
    distributed = result.distributed
    columns = dict(
        _rows(
            cursor,
            "SELECT table_name::text, is_nullable = 'YES' FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = %s",
            [DISTRIBUTION_COLUMN],
        )
    )
    for table in distributed:
        if table not in columns:
            problems.append(_("Table %(table)s has no organization column.") % {"table": table})
        elif columns[table] and table not in result.already_distributed:
            empty = _rows(cursor, f'SELECT count(*) FROM "{table}" WHERE {DISTRIBUTION_COLUMN} IS NULL')[0][0]
            if empty:
                problems.append(
                    _("Table %(table)s has %(count)s rows without an organization.")
                    % {"table": table, "count": empty}
                )
    for table, index, definition in _rows(
        cursor,
        """
        SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE i.indisunique AND NOT i.indisprimary AND c.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = %s
                          AND a.attnum = ANY(i.indkey))
        ORDER BY 1, 2
        """,
        [DISTRIBUTION_COLUMN],
    ):
        if table in distributed:
            problems.append(
                _("The unique index %(index)s of %(table)s does not include the organization: %(definition)s")
                % {"index": index, "table": table, "definition": definition}
            )
    for key in result.foreign_keys:
        if key.table not in distributed:
            problems.append(
                _(
                    "Table %(table)s is shared but points to the tenant table %(target)s (%(key)s): a shared table "
                    "cannot reference a distributed one. Give it an organization column or drop the reference."
                )
                % {"table": key.table, "target": key.target, "key": key.name}
            )
        elif result.composite(key) and key.table not in result.already_distributed:
            (column,), (target_column,) = key.columns, key.target_columns
            crossing = _rows(
                cursor,
                f'SELECT count(*) FROM "{key.table}" c JOIN "{key.target}" p ON p."{target_column}" = c."{column}" '
                f"WHERE p.{DISTRIBUTION_COLUMN} IS DISTINCT FROM c.{DISTRIBUTION_COLUMN}",
            )[0][0]
            if crossing:
                problems.append(
                    _(
                        "%(count)s rows of %(table)s point through %(column)s to a row of %(target)s that belongs to "
                        "another organization."
                    )
                    % {"count": crossing, "table": key.table, "column": column, "target": key.target}
                )
    return problems


class DistributionRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def distribute(connection=None, *, log: Callable[[str], None] = lambda line: None) -> Plan:
    """Distribute the schema on the Citus coordinator ``connection`` is connected to (see the module's text)."""
    connection = connection or default_connection
    result = plan(connection)
    with connection.cursor() as cursor:
        if not _rows(cursor, "SELECT 1 FROM pg_extension WHERE extname = 'citus'"):
            raise DistributionRefused(
                [_("This database has no Citus extension: run CREATE EXTENSION citus first.")]
            )
        if result.problems:
            raise DistributionRefused(result.problems)
        first = next(iter(result.distributed))
        pending = [t for t in result.distributed if t not in result.already_distributed]
        # 1. Foreign keys from or to the tables still to distribute go first: Citus distributes a table alone.
        for key in result.foreign_keys:
            if key.table in pending or key.target in pending:
                cursor.execute(f'ALTER TABLE "{key.table}" DROP CONSTRAINT IF EXISTS "{key.name}"')
        for table in pending:
            pk = result.distributed[table]
            # 2. The organization in the primary key (and a plain index on the id for lookups by id alone).
            (constraint, columns), *_rest = _rows(
                cursor,
                "SELECT conname, ARRAY(SELECT a.attname FROM unnest(conkey) k(n) JOIN pg_attribute a "
                "ON a.attrelid = conrelid AND a.attnum = k.n) FROM pg_constraint "
                "WHERE contype = 'p' AND conrelid = %s::regclass",
                [f'"{table}"'],
            )
            if list(columns) != [DISTRIBUTION_COLUMN, pk]:
                cursor.execute(
                    f'ALTER TABLE "{table}" ALTER COLUMN {DISTRIBUTION_COLUMN} SET NOT NULL, '
                    f'DROP CONSTRAINT "{constraint}", '
                    f'ADD CONSTRAINT "{constraint}" PRIMARY KEY ({DISTRIBUTION_COLUMN}, "{pk}")'
                )
                cursor.execute(f'CREATE INDEX IF NOT EXISTS "{table[:50]}_{pk}_idx" ON "{table}" ("{pk}")')
            # 3. Hash-distributed by organization, colocated with the first tenant table.
            cursor.execute(
                "SELECT create_distributed_table(%s, %s, colocate_with => %s)",
                [table, DISTRIBUTION_COLUMN, "default" if table == first else first],
            )
            log(_("distributed %(table)s") % {"table": table})
        # 4. The shared tables they point to: replicated on every node.
        for table in result.reference:
            if table not in result.already_reference:
                cursor.execute("SELECT create_reference_table(%s)", [table])
                log(_("reference table %(table)s") % {"table": table})
        # 5. The foreign keys again; between tenant tables through the organization.
        existing = {(k.table, k.name) for k in _foreign_keys(cursor)}
        for key in result.foreign_keys:
            if (key.table, key.name) in existing:
                continue
            definition = key.definition
            if result.composite(key):
                definition = _composite(key)
            cursor.execute(f'ALTER TABLE "{key.table}" ADD CONSTRAINT "{key.name}" {definition}')
        # 6. Citus restarts the sequence of an identity column of every table it converts (the tables it adds to its
        # metadata on the coordinator too): each sequence continues after its table's rows.
        for table, column, sequence in _rows(
            cursor,
            """
            SELECT c.table_name::text, c.column_name::text, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name)
            FROM information_schema.columns c
            WHERE c.table_schema = 'public' AND (c.is_identity = 'YES' OR c.column_default LIKE 'nextval(%%')
            """,
        ):
            if sequence:
                cursor.execute(
                    f'SELECT setval(%s, GREATEST((SELECT max("{column}") FROM "{table}"), '
                    "(SELECT last_value FROM " + sequence + "), 1))",
                    [sequence],
                )
    return result


def _composite(key: ForeignKey) -> str:
    (column,), (target_column,) = key.columns, key.target_columns
    head = re.match(r"FOREIGN KEY \([^)]*\) REFERENCES [^(]+\([^)]*\)", key.definition)
    tail = key.definition[head.end() :] if head else ""
    return (
        f'FOREIGN KEY ({DISTRIBUTION_COLUMN}, "{column}") '
        f'REFERENCES "{key.target}" ({DISTRIBUTION_COLUMN}, "{target_column}"){tail}'
    )
