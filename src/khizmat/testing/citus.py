"""Prepare a Citus cluster's test database: ``python -m khizmat.testing.citus CITUS_URL``.

``make test-citus CITUS_URL=postgres://user@coordinator:5432/name`` runs the suite on a Citus cluster: this script
(re)creates the test database ``test_<name>`` on the coordinator and on every worker the coordinator's own
``name`` database knows (or those of ``CITUS_WORKERS=host:port,host:port``), with the citus and pg_trgm extensions,
and registers the workers in it; pytest then reuses it (``--reuse-db``), migrates it, and the root conftest runs
``khizmat distribute`` before the first test (``KHIZMAT_CITUS=1``). The databases are made from ``template0``: a Citus
maintenance daemon attached to ``template1`` would make ``CREATE DATABASE`` fail.
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg


def _url(url: str, *, host: str | None = None, port: int | None = None, database: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if host is not None:
        user = netloc.rsplit("@", 1)[0] + "@" if "@" in netloc else ""
        netloc = f"{user}{host}:{port}"
    return urlunsplit(
        (
            parts.scheme.replace("postgres", "postgresql", 1) if parts.scheme == "postgres" else parts.scheme,
            netloc,
            f"/{database}",
            parts.query,
            "",
        )
    )


def workers(url: str) -> list[tuple[str, int]]:
    given = os.environ.get("CITUS_WORKERS", "")
    if given:
        return [(h, int(p)) for h, p in (item.rsplit(":", 1) for item in given.split(",") if item)]
    # The workers registered in the URL's database, else in the coordinator's ``postgres`` database.
    for database in (urlsplit(url).path.lstrip("/"), "postgres"):
        try:
            with psycopg.connect(_url(url, database=database)) as connection:
                rows = connection.execute(
                    "SELECT * FROM citus_get_active_worker_nodes() ORDER BY 1, 2"
                ).fetchall()
        except psycopg.Error:
            continue
        if rows:
            return [(host, int(port)) for host, port in rows]
    return []


def prepare(url: str, name: str | None = None) -> str:
    """(Re)create the database ``name`` (default ``test_<the URL's database>``) on the coordinator and the workers."""
    name = name or "test_" + urlsplit(url).path.lstrip("/")
    coordinator = urlsplit(url)
    nodes = workers(url)
    if not nodes:
        sys.exit(
            "The coordinator has no active workers: add them with citus_add_node() or set CITUS_WORKERS."
        )
    for host, port in [(coordinator.hostname, coordinator.port or 5432), *nodes]:
        with psycopg.connect(
            _url(url, host=host, port=port, database="postgres"), autocommit=True
        ) as connection:
            connection.execute("SET citus.enable_create_database_propagation = off")
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        with psycopg.connect(_url(url, host=host, port=port, database=name), autocommit=True) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS citus")
            connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with psycopg.connect(_url(url, database=name), autocommit=True) as connection:
        connection.execute(
            "SELECT citus_set_coordinator_host(%s, %s)", [coordinator.hostname, coordinator.port or 5432]
        )
        for host, port in nodes:
            connection.execute("SELECT citus_add_node(%s, %s)", [host, port])
    return f"{name}: coordinator {coordinator.hostname}:{coordinator.port or 5432}, workers " + ", ".join(
        f"{h}:{p}" for h, p in nodes
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m khizmat.testing.citus postgres://user@coordinator:port/name")
    print(prepare(sys.argv[1]))
