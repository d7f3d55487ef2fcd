"""Public holidays and moved working days of Uzbekistan and Kyrgyzstan, read from the ``holidays`` package.

Used by the data migration that seeds 2025–2027 and by the ``load_holidays`` command for later years.
Names come in every language the package has for the country; Uzbek Cyrillic is transliterated from Uzbek Latin.
"""

import datetime
from dataclasses import dataclass, field

import holidays
from alifbo import to_cyrillic

# Package language code for each of our name columns (modeltranslation suffixes).
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
    languages = _LANGUAGES[country_code]
    days: dict[tuple[datetime.date, str], dict[str, str]] = {}
    # Only public holidays: the package's Kyrgyz "workday" category lists commemorative days that stay working
    # days, not moved working Saturdays. Decree-moved days are entered by administrators.
    for suffix, language in languages.items():
        calendar = holidays.country_holidays(
            country_code, years=years, language=language, categories=("public",)
        )
        for date, name in calendar.items():
            days.setdefault((date, "holiday"), {})[suffix] = name
    result = []
    for (date, kind), names in sorted(days.items()):
        if "uz" in names:
            names["uz_cyrl"] = to_cyrillic(names["uz"]).text
        result.append(OfficialDay(date=date, kind=kind, names=names))
    return result
