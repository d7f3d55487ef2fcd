import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khizmat.fieldwork.choices import PlanScope
from khizmat.fieldwork.models import Vehicle
from khizmat.fieldwork.services import MAX_SEARCH_SECONDS

# <input type="date"> takes ISO dates only, whatever the interface language's date format.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DATE_INPUT)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if abs((date - timezone.localdate()).days) > 366:
            raise forms.ValidationError(_("Choose a day within a year from today."))
        return date


class PlanForm(DayForm):
    scope = forms.ChoiceField(label=_("Points"), choices=PlanScope.choices, initial=PlanScope.SCHEDULED)
    vehicles = forms.ModelMultipleChoiceField(
        label=_("Vehicles"), queryset=Vehicle.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    shift_hours = forms.DecimalField(
        label=_("Shift length, hours"), min_value=1, max_value=24, decimal_places=1, initial=9
    )
    shift_start = forms.TimeField(
        label=_("Shift starts at"),
        initial=datetime.time(7, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    max_seconds = forms.IntegerField(
        label=_("Search time, seconds"), min_value=1, max_value=MAX_SEARCH_SECONDS, initial=20
    )

    def __init__(self, *args, vehicles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicles"].queryset = vehicles
        self.fields["vehicles"].initial = list(vehicles)


class PerformanceForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start) > datetime.timedelta(days=400)):
            raise forms.ValidationError(_("Choose a period of at most 400 days that ends after it starts."))
        return data


class StopMoveForm(forms.Form):
    route = forms.IntegerField(label=_("Route"), min_value=1)
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=10_000)
