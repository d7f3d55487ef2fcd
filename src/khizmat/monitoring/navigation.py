"""The menu entry of the KPI dashboards."""

from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register

register(
    NavEntry(
        "monitoring:dashboard",
        _("Results"),
        "monitoring.dashboard",
        _("Key figures per site, district, region and funder project: charts, tables, map and downloads."),
        order=5,
    )
)
register(
    NavEntry(
        "monitoring:open_data_settings",
        _("Open data"),
        "monitoring.publish",
        _("Publish your service standards and results on a public page, with CSV and JSON."),
        order=90,
    )
)
register(
    NavEntry(
        "monitoring:indicator_list",
        _("Indicators"),
        "monitoring.indicators.view",
        _(
            "Enter the project's indicators, baselines and targets; follow the actual values at each pilot site."
        ),
        order=6,
    )
)
register(
    NavEntry(
        "monitoring:indicator_list",
        _("Indicators"),
        "monitoring.indicators.view",
        _(
            "Enter the project's indicators, baselines and targets; follow the actual values at each pilot site."
        ),
        order=6,
    )
)
