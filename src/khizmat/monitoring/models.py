"""The stored values of the measures (khizmat.monitoring.registry), per organization, day and month.

Dashboards read these rows only, never the raw tables: a national dashboard adds up a few thousand rows instead of
millions of applications and ledger entries. ``khizmat kpi_rebuild`` recomputes them all from the raw data; the
services that change the numbers mark the days they touched (:class:`KpiTouch`) and a background task refreshes
those days (:func:`khizmat.monitoring.services.kpi_refresh_touched`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.tenancy.scoping import TenantModel


class Granularity(models.TextChoices):
    DAY = "D", _("Day")
    MONTH = "M", _("Month")


class MeasureValue(TenantModel):
    """One measure of one organization for one local day or month (a histogram: one row per bucket)."""

    measure = models.CharField(_("measure"), max_length=60)
    granularity = models.CharField(_("granularity"), max_length=1, choices=Granularity.choices)
    start = models.DateField(_("day or first day of the month"))
    bucket = models.SmallIntegerField(
        _("bucket"), default=-1, help_text=_("-1 unless the measure is a histogram")
    )
    total = models.DecimalField(_("total"), max_digits=20, decimal_places=4, default=0)
    count = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("measure value")
        verbose_name_plural = _("measure values")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "granularity", "measure", "start", "bucket"],
                name="measure_value_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.start} {self.total}/{self.count}"


class KpiTouch(TenantModel):
    """A local day whose raw rows of one source changed since its measures were last computed."""

    source = models.CharField(_("source"), max_length=40)
    day = models.DateField(_("day"))
    touched_at = models.DateTimeField(_("touched"), auto_now=True)

    class Meta:
        verbose_name = _("changed day")
        verbose_name_plural = _("changed days")
        constraints = [
            models.UniqueConstraint(fields=["organization", "source", "day"], name="kpi_touch_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day}"


class OpenDataPublication(TenantModel):
    """An organization's choice to publish its service standards and a few KPIs on a public page (opt-in)."""

    is_published = models.BooleanField(_("published"), default=False)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("open-data publication")
        verbose_name_plural = _("open-data publications")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="open_data_one_per_organization")
        ]

    def __str__(self) -> str:
        return str(self.organization)
