"""Personal ID numbers and phone numbers: the rules live in :mod:`khizmat.core.fieldrules`; these names stay for the
modules that import them from here."""

from khizmat.core.fieldrules import (
    ID_VALIDATORS as VALIDATORS,
)
from khizmat.core.fieldrules import (
    normalize_id_number,
    normalize_personal_id,
    pinfl_check_digit,
    validate_kyrgyz_pin,
    validate_personal_id,
    validate_pinfl,
)
from khizmat.core.fieldrules import (
    normalize_phone as validate_phone,
)

__all__ = [
    "VALIDATORS",
    "normalize_id_number",
    "normalize_personal_id",
    "pinfl_check_digit",
    "validate_kyrgyz_pin",
    "validate_personal_id",
    "validate_phone",
    "validate_pinfl",
]
