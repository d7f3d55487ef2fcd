from django import template

from khizmat.monitoring.dashboard import format_value

register = template.Library()


@register.simple_tag
def kpi_value(row, kpi):
    """The value of ``kpi`` in a table row, formatted with its unit (and the row's currency for money)."""
    if row is None:
        return "—"
    return format_value(row.values.get(kpi.code), kpi, getattr(row, "currency", ""))
