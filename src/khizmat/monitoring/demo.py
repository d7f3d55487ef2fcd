"""The demo's KPIs: the other apps' demo steps write much of their history in bulk (without touching the days
they fill), so monitoring's step, the last one, recomputes every stored measure from the raw data."""

from khizmat.core.demo import DemoLogin, register
from khizmat.monitoring import services


@register
def build_kpis(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    written = services.kpi_rebuild()
    stdout.write(f"KPIs: {sum(written.values())} stored values")
    return []
