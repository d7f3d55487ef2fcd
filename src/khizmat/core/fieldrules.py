"""Field rules that every writer obeys: phone numbers, personal ID numbers, amounts and dates.

Plumbing, like :mod:`khizmat.core.search`: it knows countries only by their code (``"KG"``, ``"UZ"``) and imports no
domain app. The checks raise Django's ``ValidationError``; services call them inside :func:`field_rule`, which turns
the refusal into a :class:`~khizmat.core.errors.DomainError` naming the field, so the web form shows the message by
that field and the API answers ``400 {"code", "detail", "field"}``. See "Field rules live in services" in
docs/architecture.md.
"""

import contextlib
import datetime
import re
from decimal import Decimal, InvalidOperation

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError

# --- Turning a refusal into a domain error that names the field ----------------------------------------------------


@contextlib.contextmanager
def field_rule(field: str):
    """``with field_rule("phone"): phone = normalize_phone(...)`` — a ``ValidationError`` inside becomes a
    ``DomainError`` with ``field="phone"``, its translated message and its code."""
    try:
        yield
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code=error.code or "invalid", field=field) from error


# --- Phone numbers -------------------------------------------------------------------------------------------------

# The countries whose numbers the project stores, with their calling codes. Both have 9-digit national numbers;
# Kyrgyz numbers are written locally with the trunk prefix 0 (0555 12 34 56), Uzbek ones without (90 123 45 67).
PHONE_COUNTRIES = {"KG": "996", "UZ": "998"}
_PHONE_EXAMPLES = {"KG": ("+996 555 123 456", "0555 123 456"), "UZ": ("+998 90 123 45 67", "90 123 45 67")}
_SEPARATORS = re.compile(r"[\s().\-/\u00a0]")
_PHONE_TEXT = re.compile(r"\+?\d{6,15}")


def _phone_digits(value) -> str:
    text = _SEPARATORS.sub("", str(value or ""))
    if text.startswith("00"):
        text = "+" + text[2:]
    return text


def _valid_e164(text: str, region: str | None, regions: list[str]) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.region_code_for_number(number) not in regions:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_candidates(value, *, country_code: str | None = None) -> list[str]:
    """Every E.164 number ``value`` can mean, in local (``0555 12 34 56``, ``901234563``) or international form
    (``+996…``, ``00998…``, ``998…``): a number of ``country_code`` (the organization's SMS gateway sends there),
    or of either country when it is unknown. Empty when none."""
    text = _phone_digits(value)
    if not _PHONE_TEXT.fullmatch(text):
        return []
    regions = [country_code] if country_code in PHONE_COUNTRIES else list(PHONE_COUNTRIES)
    forms = [text]
    if not text.startswith("+") and any(
        text.startswith(code) and len(text) == len(code) + 9 for code in PHONE_COUNTRIES.values()
    ):
        forms.append("+" + text)  # 998901234563: the country code without the plus
    found: list[str] = []
    for form in forms:
        for region in [None] if form.startswith("+") else regions:
            e164 = _valid_e164(form, region, regions)
            if e164 and e164 not in found:
                found.append(e164)
    return found


def phone_hint(country_code: str | None = None) -> str:
    """How to write a number, e.g. "+996 555 123 456 or 0555 123 456" (both countries' when unknown)."""
    codes = [country_code] if country_code in _PHONE_EXAMPLES else list(_PHONE_EXAMPLES)
    return "; ".join(
        gettext("%(international)s or %(local)s")
        % {"international": _PHONE_EXAMPLES[code][0], "local": _PHONE_EXAMPLES[code][1]}
        for code in codes
    )


def phone_help_text(country_code: str | None = None) -> str:
    """The help text shown next to every phone field."""
    return gettext("For example %(examples)s.") % {"examples": phone_hint(country_code)}


# The API documents the same format (OpenAPI descriptions are read in English by integrators).
PHONE_API_HELP = _(
    "A phone number of the organization's country in any usual form (+996 555 123 456, 0555 123 456; "
    "+998 90 123 45 67, 90 123 45 67); stored and returned in E.164 (+996555123456)."
)


def normalize_phone(value, *, country_code: str | None = None) -> str:
    """The one stored form of a phone number: E.164 (``+996555123456``). Empty stays empty; anything that is not
    a valid Kyrgyz or Uzbek number, or could be either, is refused with the expected format."""
    if not str(value or "").strip():
        return ""
    candidates = phone_candidates(value, country_code=country_code)
    if len(candidates) == 1:
        return candidates[0]
    raise ValidationError(
        _("“%(value)s” is not a phone number we can send SMS to. Write it as %(hint)s."),
        code="phone",
        params={"value": str(value).strip()[:40], "hint": phone_hint(country_code)},
    )


# --- Personal ID numbers -------------------------------------------------------------------------------------------

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
    if born is None or born > timezone.localdate():
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
    if born is None or born > timezone.localdate() or born.year < 1900:
        raise ValidationError(
            _("Digits 2–9 of a personal number (INN) must be a real birth date (DDMMYYYY)."), code="inn_date"
        )
    return number


ID_VALIDATORS = {"UZ": validate_pinfl, "KG": validate_kyrgyz_pin}


def validate_personal_id(value: str, *, country_code: str) -> str:
    """Validate and normalize a personal ID number of the given country (PINFL in UZ, INN in KG)."""
    return ID_VALIDATORS[country_code](value)


def normalize_personal_id(value: str, *, country_code: str) -> str:
    """Like :func:`validate_personal_id`, but an empty value stays empty (for optional ID fields)."""
    if not str(value or "").strip():
        return ""
    return validate_personal_id(str(value), country_code=country_code)


# --- Amounts -------------------------------------------------------------------------------------------------------

CENT = Decimal("0.01")
# No single amount a municipal enterprise or a service center enters comes near ten billion (som or sum): above
# that it is a typing error (a pasted account number, digits twice).
MAX_AMOUNT = Decimal("9999999999.99")


def check_amount(
    value, *, allow_zero: bool = False, allow_negative: bool = False, maximum=MAX_AMOUNT
) -> Decimal:
    """A money amount with at most two decimal places, positive unless told otherwise, not above ``maximum``."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            _("Write the amount as a number, e.g. 1500.50."), code="amount_format"
        ) from error
    if not amount.is_finite():
        raise ValidationError(_("Write the amount as a number, e.g. 1500.50."), code="amount_format")
    if amount < 0 and not allow_negative:
        raise ValidationError(_("The amount must be more than zero."), code="amount_positive")
    if amount == 0 and not allow_zero:
        raise ValidationError(_("The amount must not be zero."), code="amount_zero")
    if abs(amount) > maximum:
        raise ValidationError(
            _("This amount is too large (at most %(maximum)s)."),
            code="amount_too_large",
            params={"maximum": f"{maximum:,.2f}".replace(",", " ")},
        )
    if amount != amount.quantize(CENT):
        raise ValidationError(_("An amount has at most two decimal places."), code="amount_places")
    return amount.quantize(CENT)


# --- Dates ---------------------------------------------------------------------------------------------------------

# The oldest accounts carried over from paper registers start in the 1950s; an earlier year is a typing error
# (0224 for 2024, 1924 for 2024).
EARLIEST_DATE = datetime.date(1950, 1, 1)
FUTURE_YEARS = 20


def check_date(value, *, earliest: datetime.date = EARLIEST_DATE, latest: datetime.date | None = None):
    """A real date within a plausible span: from ``earliest`` (1950) to ``latest`` (twenty years ahead by default,
    today for things that already happened). ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value).strip())
        except ValueError as error:
            raise ValidationError(_("Write the date as 2024-12-31."), code="date_format") from error
    if latest is None:
        today = timezone.localdate()
        latest = today.replace(year=today.year + FUTURE_YEARS, day=min(today.day, 28))
    if not earliest <= value <= latest:
        raise ValidationError(
            _("%(date)s is not a plausible date here: it must lie between %(earliest)s and %(latest)s."),
            code="date_range",
            params={
                "date": value.isoformat(),
                "earliest": earliest.isoformat(),
                "latest": latest.isoformat(),
            },
        )
    return value
