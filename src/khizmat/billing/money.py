"""The one rounding rule for money: two places, half up (UZS and KGS both have tiyin/tyiyn as minor units)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def quantize(amount) -> Decimal:
    """``amount`` as a Decimal rounded to two places, half up. Floats are refused: money never passes through them."""
    if isinstance(amount, float):
        raise TypeError("money must not be a float")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text) -> Decimal | None:
    """Read an amount typed by a person or written by a bank: «1 250,50», "1,250.50", "1250.5". None if unreadable."""
    if text is None:
        return None
    if isinstance(text, Decimal | int):
        return quantize(text)
    if isinstance(text, float):
        text = repr(text)
    cleaned = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        # The separator that comes last is the decimal one; the other groups thousands.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return quantize(value)


def prorated_amount(*, price, quantity, days_billed: int, days_in_period: int, discount_percent) -> Decimal:
    """The amount of one invoice line, exactly as the billing run's SQL computes it (the reference for tests)."""
    exact = (
        Decimal(price)
        * Decimal(quantity)
        * days_billed
        * (100 - Decimal(discount_percent))
        / (days_in_period * 100)
    )
    return quantize(exact)
