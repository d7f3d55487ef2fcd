"""Personal identification numbers: PINFL (Uzbekistan) and PIN/INN (Kyrgyzstan), by format and check rules."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from khizmat.tenancy.localtime import country_today

_FOURTEEN_DIGITS = re.compile(r"^\d{14}$")
# PINFL (JShShIR): the check digit is the weighted sum (weights 7, 3, 1 repeating) of the first 13 digits mod 10.
_PINFL_WEIGHTS = (7, 3, 1) * 5


def normalize_id_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def pinfl_check_digit(first_13: str) -> int:
    return sum(int(d) * w for d, w in zip(first_13, _PINFL_WEIGHTS, strict=False)) % 10


def validate_pinfl(value: str) -> str:
    """Uzbek PINFL: 14 digits; 1st = century and sex (3–6), then birth date DDMMYY, region, serial, check digit."""
    number = normalize_id_number(value)
    if not _FOURTEEN_DIGITS.match(number):
        raise ValidationError(_("A PINFL has exactly 14 digits."), code="pinfl_format")
    century = {"3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(number[0])
    if century is None:
        raise ValidationError(_("A PINFL starts with 3, 4, 5 or 6."), code="pinfl_century")
    born = _date_or_none(century + int(number[5:7]), int(number[3:5]), int(number[1:3]))
    if born is None or born > country_today("UZ"):
        raise ValidationError(
            _("Digits 2–7 of a PINFL must be a real birth date (DDMMYY)."), code="pinfl_date"
        )
    if pinfl_check_digit(number[:13]) != int(number[13]):
        raise ValidationError(
            _("This PINFL has a typing error: its check digit does not match."), code="pinfl_check"
        )
    return number


def validate_kyrgyz_pin(value: str) -> str:
    """Kyrgyz personal number (PIN/INN): 14 digits; 1st = sex (1 or 2), then birth date DDMMYYYY, 5-digit serial."""
    number = normalize_id_number(value)
    if not _FOURTEEN_DIGITS.match(number):
        raise ValidationError(_("A personal number (INN) has exactly 14 digits."), code="inn_format")
    if number[0] not in "12":
        raise ValidationError(_("A personal number (INN) starts with 1 or 2."), code="inn_sex")
    born = _date_or_none(int(number[5:9]), int(number[3:5]), int(number[1:3]))
    if born is None or born > country_today("KG") or born.year < 1900:
        raise ValidationError(
            _("Digits 2–9 of a personal number (INN) must be a real birth date (DDMMYYYY)."), code="inn_date"
        )
    return number


VALIDATORS = {"UZ": validate_pinfl, "KG": validate_kyrgyz_pin}


def validate_personal_id(value: str, *, country_code: str) -> str:
    """Validate and normalize a personal ID number of the given country."""
    return VALIDATORS[country_code](value)


def validate_phone(value: str, *, country_code: str | None = None) -> str:
    """E.164 mobile numbers of Uzbekistan (+998, 9 digits) or Kyrgyzstan (+996, 9 digits)."""
    number = re.sub(r"[\s()-]", "", value or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    prefixes = {"UZ": "+998", "KG": "+996"}
    allowed = [prefixes[country_code]] if country_code else list(prefixes.values())
    if not any(re.fullmatch(re.escape(prefix) + r"\d{9}", number) for prefix in allowed):
        raise ValidationError(
            _("Enter the phone number as %(example)s."),
            code="phone",
            params={
                "example": " / ".join(
                    {"+998": "+998 90 123 45 67", "+996": "+996 555 123 456"}[p] for p in allowed
                )
            },
        )
    return number
