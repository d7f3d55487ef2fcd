"""Masking of personal data: the one place that decides how a phone, ID number or e-mail looks when hidden.

Lists, exports and API lists always show the masked form; a record's detail page and the API's detail answer show
the full value only to roles with ``personal_data.full`` (khizmat.tenancy.roles), and each such view is written to
the personal-data access log (khizmat.tenancy.privacy). Templates use the filters in ``{% load masking %}``;
serializers use :class:`khizmat.api.fields.MaskedFieldsMixin`.
"""

import re

# Country calling codes kept visible, with how the hidden part of a national number is grouped.
_HIDDEN_GROUPS = {"998": (2, 3), "996": (3, 2), "7": (3, 3)}
_STAR = "*"


def mask_phone(value) -> str:
    """``+998901234567`` → ``+998 ** *** 45 67``; ``+996555123456`` → ``+996 *** ** 34 56``: the country code and the
    last four digits stay. Empty stays empty; a number in another form keeps its last four digits only."""
    text = str(value or "").strip()
    if not text:
        return ""
    digits = re.sub(r"\D", "", text)
    if len(digits) <= 4:
        return _STAR * len(digits)
    code = next((c for c in _HIDDEN_GROUPS if text.startswith("+") and digits.startswith(c)), None)
    hidden = len(digits) - len(code or "") - 4
    if code is None or hidden != sum(_HIDDEN_GROUPS[code]):
        return _STAR * (len(digits) - 4) + digits[-4:]
    groups = [_STAR * size for size in _HIDDEN_GROUPS[code]]
    return " ".join([f"+{code}", *groups, digits[-4:-2], digits[-2:]])


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
