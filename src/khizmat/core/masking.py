"""Masking of personal data: the one place that decides how a phone, ID number or e-mail looks when hidden.

Lists, exports and API lists always show the masked form; a record's detail page and the API's detail answer show
the full value only to roles with ``personal_data.full`` (khizmat.tenancy.roles), and each such view is written to
the personal-data access log (khizmat.tenancy.privacy). Templates use the filters in ``{% load masking %}``;
serializers use :class:`khizmat.api.fields.MaskedFieldsMixin`.
"""

import re

# Country calling codes kept visible (the rest of the number is hidden but its last four digits).
_CALLING_CODES = ("998", "996", "7")
_STAR = "*"


def mask_phone(value) -> str:
    """``+998901234567`` → ``+998 ** *** 45 67``; ``+996555123456`` → ``+996 *** *** 45 67``. Empty stays empty;
    anything else keeps its last four digits only."""
    text = str(value or "").strip()
    if not text:
        return ""
    digits = re.sub(r"\D", "", text)
    if len(digits) <= 4:
        return _STAR * len(digits)
    code = next((c for c in _CALLING_CODES if text.startswith("+") and digits.startswith(c)), "")
    if code:
        national = digits[len(code) :]
        hidden = len(national) - 4
        groups = [_STAR * 2, _STAR * (hidden - 2)] if code == "998" and hidden == 5 else [_STAR * hidden]
        if code == "996" and hidden == 5:
            groups = [_STAR * 3, _STAR * 2]
        return " ".join([f"+{code}", *[g for g in groups if g], digits[-4:-2], digits[-2:]])
    return _STAR * (len(digits) - 4) + digits[-4:]


def mask_id_number(value) -> str:
    """A personal ID number (PINFL, INN, passport) with all but its last four characters hidden:
    ``12345678901234`` → ``**********1234``."""
    text = re.sub(r"\s", "", str(value or ""))
    if len(text) <= 4:
        return _STAR * len(text)
    return _STAR * (len(text) - 4) + text[-4:]


def mask_email(value) -> str:
    """``aziza.karimova@mail.uz`` → ``a***@mail.uz``."""
    text = str(value or "").strip()
    if not text:
        return ""
    local, _at, domain = text.partition("@")
    return f"{local[:1]}***@{domain}" if domain else _STAR * 3


MASKS = {"phone": mask_phone, "id_number": mask_id_number, "email": mask_email}


def mask(kind: str, value) -> str:
    """Mask ``value`` as ``kind`` (``phone``, ``id_number``, ``email``)."""
    return MASKS[kind](value)
