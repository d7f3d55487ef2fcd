"""Public holidays and moved working days of Uzbekistan and Kyrgyzstan, read from the ``holidays`` package.

Used by the data migrations that seed 2025–2027 and by the ``load_holidays`` command for later years.
Holiday names come in every language the package has for the country; Uzbek Cyrillic is transliterated from Uzbek
Latin. A moved working day (a Saturday or Sunday worked in exchange for a day off, e.g. Saturday 2026-12-12 in
Uzbekistan for Thursday 2026-12-31) has no name in the package: it is named after the day off it pays for.
"""

import datetime
from dataclasses import dataclass, field

# holidays is imported in the functions that use it: a web worker that never needs it does not hold it (about 10 MB).
from alifbo import to_cyrillic
from django.utils import translation
from django.utils.translation import gettext as _

# Package language code for each of our name columns (modeltranslation suffixes).
# The interface language of each name column, for the names we write ourselves (moved working days).
_INTERFACE_LANGUAGES = {"en": "en", "uz": "uz", "uz_cyrl": "uz-cyrl", "ky": "ky", "ru": "ru"}
_LANGUAGES = {
    "UZ": {"en": "en_US", "uz": "uz"},
    "KG": {"en": "en_US", "ky": "ky", "ru": "ru_KG"},
}
SUPPORTED_COUNTRIES = tuple(_LANGUAGES)


@dataclass(frozen=True)
class OfficialDay:
    date: datetime.date
    kind: str  # a CalendarDayKind value
    names: dict[str, str] = field(default_factory=dict)


def official_days(country_code: str, years: list[int]) -> list[OfficialDay]:
    """Public holidays (kind ``holiday``) and moved working days (kind ``working_day``) of the given years."""
    import holidays

    languages = _LANGUAGES[country_code]
    days: dict[tuple[datetime.date, str], dict[str, str]] = {}
    # Only public holidays: the package's Kyrgyz "workday" category lists commemorative days that stay working
    # days, not moved working Saturdays (those are the calendar's ``weekend_workdays``).
    for suffix, language in languages.items():
        calendar = holidays.country_holidays(
            country_code, years=years, language=language, categories=("public",)
        )
        for date, name in calendar.items():
            days.setdefault((date, "holiday"), {})[suffix] = name
    for date, day_off in _weekend_workdays(country_code, years).items():
        days[(date, "working_day")] = _working_day_names(day_off, languages)
    result = []
    for (date, kind), names in sorted(days.items()):
        if "uz" in names and "uz_cyrl" not in names:
            names["uz_cyrl"] = to_cyrillic(names["uz"]).text
        result.append(OfficialDay(date=date, kind=kind, names=names))
    return result


def _weekend_workdays(country_code: str, years: list[int]) -> dict[datetime.date, datetime.date | None]:
    """Each weekend day worked in the given years, with the day off it was moved to when the package says so."""
    import holidays

    calendar = holidays.country_holidays(country_code, years=years, language="en_US", categories=("public",))
    # The package keeps earlier years' moved days on the class: only the asked years count.
    workdays = sorted(day for day in calendar.weekend_workdays if day.year in years)
    label = calendar.tr(calendar.substituted_label)
    date_format = calendar.tr(calendar.substituted_date_format)
    pairs = {}
    for workday in workdays:
        moved = label % workday.strftime(date_format)
        pairs[workday] = next((day for day, name in sorted(calendar.items()) if moved in name), None)
    return pairs


def _working_day_names(day_off: datetime.date | None, languages: dict[str, str]) -> dict[str, str]:
    """Our own name for a moved working day in English and each of the country's languages that has it translated
    (an untranslated column stays empty and falls back to English)."""

    def name(language: str) -> str:
        with translation.override(language):
            if day_off is None:
                return _("Moved working day")
            return _("Working day, in exchange for the day off on %(date)s") % {"date": f"{day_off:%d.%m.%Y}"}

    names = {"en": name("en")}
    for suffix in {*languages, "uz_cyrl"} & set(_INTERFACE_LANGUAGES) - {"en"}:
        if suffix == "uz_cyrl" and "uz" not in languages:
            continue
        text = name(_INTERFACE_LANGUAGES[suffix])
        if text != names["en"]:
            names[suffix] = text
    return names
