"""Shared by the bench scripts (run as `python bench/<name>.py`, so this folder is on sys.path)."""

import subprocess


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named by ``url`` (postgres://…/<name>) if it does not exist."""
    base, name = url.rsplit("/", 1)
    exists = subprocess.run(
        ["psql", f"{base}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            ["psql", f"{base}/postgres", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True
        )
