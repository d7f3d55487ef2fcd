from decimal import Decimal

from django import template
from django.utils.formats import number_format

from khizmat.billing.money import quantize

register = template.Library()


@register.filter
def money(amount, currency: str = ""):
    """``{{ amount|money:currency }}``: two places, grouped digits in the reader's locale, then the currency code."""
    if amount is None or amount == "":
        return "—"
    value = number_format(quantize(Decimal(amount)), decimal_pos=2, force_grouping=True)
    return f"{value} {currency}".strip()
