"""Recompute the stored ``search_key`` columns after the folding rules of :mod:`khizmat.core.search` change.

Every model with a ``search_key`` is listed here with the texts its key is made of (the same as its ``save`` or
service computes). Migrations call :func:`refresh_search_keys` with their historical ``apps``; the
``refresh_search_keys`` command runs it by hand. Rows are read in primary-key batches and only changed keys are
written, with one ``bulk_update`` per batch: a few seconds for the demo's tens of thousands of subscribers, about a
minute per million rows.
"""

from khizmat.core.search import search_keys

PLACE_LANGUAGES = ("ky", "uz", "uz_cyrl", "ru", "en")


def _place_texts(row) -> list[str]:
    names = [getattr(row, f"name_{suffix}", None) for suffix in PLACE_LANGUAGES]
    return [row.name, *names, *(row.aliases or "").splitlines()]


def _user_texts(row) -> list[str]:
    return [row.first_name, row.last_name, row.patronymic, row.username, f"{row.last_name} {row.first_name}"]


SOURCES = {
    "tenancy.Region": _place_texts,
    "tenancy.District": _place_texts,
    "tenancy.Settlement": _place_texts,
    "tenancy.Organization": _place_texts,
    "tenancy.User": _user_texts,
    "services.Application": lambda row: [row.applicant_name, row.applicant_id_number],
    "billing.Subscriber": lambda row: [
        row.number,
        row.holder_name,
        row.street,
        row.holder_id_number,
        row.phone,
    ],
}


def refresh_search_keys(apps, *, batch_size: int = 2000) -> int:
    """Rewrite every stale ``search_key``; returns how many rows changed. ``apps`` is a migration's or django's."""
    changed = 0
    for label, texts in SOURCES.items():
        model = apps.get_model(label)
        manager = model._base_manager  # plain manager: no tenant scope inside a migration or a command
        last_pk = 0
        while True:
            rows = list(manager.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
            if not rows:
                break
            last_pk = rows[-1].pk
            stale = []
            for row in rows:
                key = search_keys(*texts(row))
                if key != row.search_key:
                    row.search_key = key
                    stale.append(row)
            manager.bulk_update(stale, ["search_key"])
            changed += len(stale)
    return changed
