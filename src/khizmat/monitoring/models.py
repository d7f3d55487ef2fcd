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


class Indicator(TenantModel):
    """A result a funder project promised (a line of its results framework), entered by the project's staff.

    Measured by one of Khizmat's KPIs at its pilot sites (``kpi``), or, when nothing in Khizmat measures it (a survey
    result, a law adopted), by actual values the staff enter (:class:`IndicatorResult`).
    """

    code = models.CharField(_("code"), max_length=20, help_text=_("As in the project document, e.g. 1.2"))
    name = models.CharField(_("indicator"), max_length=300)
    kpi = models.CharField(
        _("measured by"),
        max_length=60,
        blank=True,
        help_text=_("A figure Khizmat computes; leave empty to enter the actual values yourself."),
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorTarget(TenantModel):
    """An indicator's baseline and target at one pilot site."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    site = models.ForeignKey(
        "tenancy.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "indicator", "site"], name="indicator_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.site}"


class IndicatorResult(TenantModel):
    """An actual value of an indicator at a site as of a date, entered by the project's staff."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="results", verbose_name=_("indicator")
    )
    site = models.ForeignKey(
        "tenancy.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("A survey, a report, a decree…")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "indicator", "site", "as_of"], name="indicator_result_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.site} · {self.as_of}"
