"""Translated names read as plain rows: the columns of a modeltranslation field in the order the active language
falls back through, for ``.values()`` queries of hundreds of rows (model instances, each with five languages of
names behind descriptors, cost more than the query on the pages that list every site of a country)."""

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order


def name_columns(field: str = "name", prefix: str = "") -> list[str]:
    """``field``'s columns (``prefix`` for a related model: ``"region__"``) in the active language's fallback order."""
    languages = resolution_order(get_language() or settings.LANGUAGE_CODE)
    return [f"{prefix}{build_localized_fieldname(field, language)}" for language in languages]


def first_filled(row, columns) -> str:
    """The first non-empty of ``columns`` in ``row`` (a dict from ``.values()``), as modeltranslation reads it."""
    return next((row[column] for column in columns if row[column]), "")
