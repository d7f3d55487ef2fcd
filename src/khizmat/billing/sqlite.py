"""The billing run's amount function for SQLite, which stores decimals as floats.

PostgreSQL computes invoice amounts in exact ``numeric`` arithmetic. SQLite has no decimal type, so the run calls
``khizmat_prorate(...)`` there: this function, registered on every SQLite connection, reads its arguments back as
the decimals they were written from and applies :func:`khizmat.billing.money.prorated_amount`, the same rule the
tests check both databases against. The work stays in one INSERT…SELECT; SQLite calls the function per row.
"""

from decimal import Decimal

from django.db.backends.signals import connection_created
from django.dispatch import receiver

from khizmat.billing.money import prorated_amount


def _decimal(value) -> Decimal:
    # repr() of a float read back from SQLite is the shortest string that round-trips: the decimal it was written as.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def khizmat_prorate(price, quantity, days_billed, days_in_period, discount_percent) -> str:
    return str(
        prorated_amount(
            price=_decimal(price),
            quantity=_decimal(quantity),
            days_billed=int(days_billed),
            days_in_period=int(days_in_period),
            discount_percent=_decimal(discount_percent),
        )
    )


@receiver(connection_created, dispatch_uid="khizmat.billing.sqlite")
def register_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("khizmat_prorate", 5, khizmat_prorate, deterministic=True)
