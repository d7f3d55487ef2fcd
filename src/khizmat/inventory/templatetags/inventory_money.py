from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cost(amount, currency: str = ""):
    """``{{ amount|cost:currency }}``: two places, digits grouped in the reader's locale, then the currency code."""
    if amount is None or amount == "":
        return "—"
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number_format(value, decimal_pos=2, force_grouping=True)} {currency}".strip()
