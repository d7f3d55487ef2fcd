"""Recompute stored ``search_key`` columns after the folding rules of :mod:`khizmat.core.search` change.

Each app whose models keep a ``search_key`` adds a data migration that calls :func:`refresh_search_keys` with the
historical model and the texts its key is made of (the same as the model's ``save`` or service computes: historical
models have no methods). Rows are read in primary-key batches and only changed keys are written, one
``bulk_update`` per batch: a few seconds for the demo's tens of thousands of rows, about a minute per million.
"""

from collections.abc import Callable, Iterable

from khizmat.core.search import search_keys


def refresh_search_keys(
    model, texts: Callable[[object], Iterable[str | None]], *, batch_size: int = 2000
) -> int:
    """Rewrite every stale ``search_key`` of ``model``; returns how many rows changed."""
    manager = model._base_manager  # a plain manager: no tenant scope inside a migration
    changed = 0
    last_pk = 0
    while True:
        rows = list(manager.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not rows:
            return changed
        last_pk = rows[-1].pk
        stale = []
        for row in rows:
            key = search_keys(*texts(row))
            if key != row.search_key:
                row.search_key = key
                stale.append(row)
        manager.bulk_update(stale, ["search_key"])
        changed += len(stale)
