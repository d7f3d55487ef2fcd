"""The dashboards' filters: period, territory, funder project, pilot sites, grouping, section and KPI.

One form serves the page (GET), the XLSX download and the API, so they read the same figures for the same query.
The choices come from the organizations the user may read: a monitor of Jalal-Abad is offered its districts only.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from khizmat.core.forms import QuickSelect
from khizmat.monitoring import registry
from khizmat.monitoring.registry import SECTION_KINDS
from khizmat.monitoring.selectors import GROUPS, OTHERS, PILOT, Site

MAX_MONTHS = 36


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=_("From month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput)
    end = forms.DateField(label=_("To month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput)
    section = forms.ChoiceField(label=_("Area"), choices=())
    kpi = forms.ChoiceField(label=_("Figure on the charts and map"), choices=(), required=False)
    region = forms.TypedChoiceField(
        label=_("Region"), coerce=int, empty_value=None, required=False, widget=QuickSelect
    )
    district = forms.TypedChoiceField(
        label=_("District"), coerce=int, empty_value=None, required=False, widget=QuickSelect
    )
    project = forms.TypedChoiceField(label=_("Funder project"), coerce=int, empty_value=None, required=False)
    pilot = forms.ChoiceField(
        label=_("Sites"),
        required=False,
        choices=(("", _("All sites")), (PILOT, _("Pilot sites only")), (OTHERS, _("Other sites only"))),
    )
    organization = forms.TypedChoiceField(
        label=_("Site"), coerce=int, empty_value=None, required=False, widget=QuickSelect
    )
    group = forms.ChoiceField(label=_("Compare by"), required=False, choices=())

    def __init__(self, data=None, *, places: dict[int, Site], projects: dict[int, str], today: datetime.date):
        self.places = places
        self.today = today
        this_month = today.replace(day=1)
        initial = {"start": add_months(this_month, -11), "end": this_month}
        if data is not None:
            data = data.copy()
            for name, value in initial.items():
                if not data.get(name):
                    data[name] = value.strftime("%Y-%m")
        super().__init__(data, initial=initial)
        kinds = {site.kind for site in places.values()}
        sections = [code for code, section_kinds in SECTION_KINDS.items() if kinds & section_kinds]
        sections = sections or list(SECTION_KINDS)
        self.fields["section"].choices = [(code, registry.SECTIONS[code]) for code in sections]
        self.fields["section"].initial = sections[0]
        if data is not None and not data.get("section"):
            self.data["section"] = sections[0]
        section = self.data.get("section") if data is not None else sections[0]
        if section not in sections:
            section = sections[0]
        self.fields["kpi"].choices = [(kpi.code, kpi.label) for kpi in registry.kpis(section)]
        self.fields["kpi"].initial = default_kpi(section)
        if data is not None and not self.data.get("kpi"):
            self.data["kpi"] = default_kpi(section)
        self.fields["region"].choices = [("", _("All regions"))] + _named(
            {(s.region_id, s.region) for s in places.values() if s.region_id}
        )
        self.fields["district"].choices = [("", _("All districts"))] + _named(
            {(s.district_id, s.district) for s in places.values() if s.district_id}
        )
        self.fields["project"].choices = [("", _("All projects"))] + sorted(
            projects.items(), key=lambda item: str(item[1])
        )
        self.fields["organization"].choices = [("", _("All sites"))] + _named(
            {(s.pk, s.name) for s in places.values()}
        )
        self.fields["group"].choices = list(GROUPS.items())
        # A filter with a single possible answer is noise for a director of one site: leave it out.
        for name in ("region", "district", "project", "organization"):
            if len(self.fields[name].choices) <= 2:
                del self.fields[name]
        if len({site.is_pilot for site in places.values()}) < 2:  # all pilot sites, or none
            del self.fields["pilot"]
        if "organization" not in self.fields:
            del self.fields["group"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            start, end = start.replace(day=1), end.replace(day=1)
            if start > end:
                raise forms.ValidationError(_("The first month must not be after the last."), code="period")
            if months_between(start, end) > MAX_MONTHS:
                raise forms.ValidationError(
                    _("Choose at most %(months)s months.") % {"months": MAX_MONTHS}, code="period"
                )
            cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def filters(self) -> dict:
        """The cleaned filters, or the defaults where a field was invalid (the page shows the errors too)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        this_month = self.today.replace(day=1)
        section = data.get("section") or self.fields["section"].initial
        kpi_code = data.get("kpi") or default_kpi(section)
        start = data.get("start") or add_months(this_month, -11)
        end = data.get("end") or this_month
        if "start" not in data or "end" not in data:
            start, end = add_months(this_month, -11), this_month
        filters = {
            "start": start,
            "end": end,
            "section": section,
            "kpi": kpi_code,
            "region": data.get("region"),
            "district": data.get("district"),
            "project": data.get("project"),
            "pilot": data.get("pilot") or "",
            "organization": data.get("organization"),
            "group": data.get("group") or "",
        }
        if not filters["group"]:
            filters["group"] = default_group(self.places, select(self.places, filters))
        return filters


def default_kpi(section: str) -> str:
    """The figure the charts and the map show first: the area's first with a good direction (the map colours it)."""
    kpis = registry.kpis(section)
    directed = [kpi for kpi in kpis if kpi.better] or kpis
    return directed[0].code if directed else ""


def _named(pairs) -> list[tuple[int, str]]:
    return sorted(pairs, key=lambda pair: str(pair[1]))


def select(places: dict[int, Site], filters: dict) -> list[int]:
    """The organizations the filters keep."""
    chosen = []
    kinds = SECTION_KINDS.get(filters.get("section"), set())
    for site in places.values():
        if kinds and site.kind not in kinds:
            continue
        if filters.get("organization") and site.pk != filters["organization"]:
            continue
        if filters.get("region") and site.region_id != filters["region"]:
            continue
        if filters.get("district") and site.district_id != filters["district"]:
            continue
        if filters.get("project") and filters["project"] not in site.projects:
            continue
        if filters.get("pilot") == PILOT and not site.is_pilot:
            continue
        if filters.get("pilot") == OTHERS and site.is_pilot:
            continue
        chosen.append(site.pk)
    return sorted(chosen)


def default_group(places: dict[int, Site], chosen: list[int]) -> str:
    """Regions when the sites span several, then districts, then the sites themselves."""
    if len({places[pk].region_id for pk in chosen}) > 1:
        return "region"
    if len({places[pk].district_id for pk in chosen}) > 1 and len(chosen) > 12:
        return "district"
    return "organization"


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Indicator"), max_length=300)
    kpi = forms.ChoiceField(label=_("Measured by"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = [("", _("Entered by the project's staff"))] + [
            (kpi.code, f"{registry.SECTIONS[kpi.section]}: {kpi.label}") for kpi in registry.kpis()
        ]


class IndicatorTargetForm(forms.Form):
    site = forms.TypedChoiceField(label=_("Pilot site"), coerce=int)
    baseline = forms.CharField(label=_("Baseline"), required=False, max_length=30)
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DATE)
    target = forms.CharField(label=_("Target"), required=False, max_length=30)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(site.pk, site.name) for site in sites]


class IndicatorResultForm(forms.Form):
    site = forms.TypedChoiceField(label=_("Pilot site"), coerce=int)
    as_of = forms.DateField(label=_("As of"), widget=DATE)
    value = forms.CharField(label=_("Value"), max_length=30)
    source = forms.CharField(label=_("Source"), required=False, max_length=200)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(site.pk, site.name) for site in sites]


class FunderReportForm(forms.Form):
    start = forms.DateField(label=_("From month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput)
    end = forms.DateField(label=_("To month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            data["start"], data["end"] = start.replace(day=1), end.replace(day=1)
            if data["start"] > data["end"]:
                raise forms.ValidationError(_("The first month must not be after the last."), code="period")
        return data
