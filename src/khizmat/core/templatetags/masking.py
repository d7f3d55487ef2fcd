"""``{{ phone|mask_phone }}`` in lists; ``{{ phone|mask_phone:full_personal_data }}`` on a detail page, where the
view sets ``full_personal_data`` (True only for roles that may see full values; see khizmat.core.masking)."""

from django import template

from khizmat.core import masking

register = template.Library()


@register.filter
def mask_phone(value, full=False):
    return value if full else masking.mask_phone(value)


@register.filter
def mask_id_number(value, full=False):
    return value if full else masking.mask_id_number(value)


@register.filter
def mask_email(value, full=False):
    return value if full else masking.mask_email(value)
