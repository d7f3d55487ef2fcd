import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khizmat.contracts.choices import LoadScope, WorkSource, WorkUnit
from khizmat.tenancy.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed as ``2026-03`` (the browser's month picker) or any date of it; cleaned to its first day."""

    widget = MONTH
    input_formats = ["%Y-%m", "%Y-%m-%d", "%d.%m.%Y", "%m.%Y"]
    default_error_messages = {"invalid": _("Enter a month, e.g. 2026-03.")}

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class ContractForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=_("The local government that ordered the work (it must oversee your enterprise)."),
    )
    number = forms.CharField(label=_("Number"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from khizmat.tenancy.choices import LOCAL_GOVERNMENT_KINDS

        self.fields["customer"].queryset = Organization.objects.filter(
            oversight_given__overseen=organization, kind__in=LOCAL_GOVERNMENT_KINDS, is_active=True
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The contract cannot end before it starts."))
        return data


class WorkItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Work"), max_length=200)
    unit = forms.ChoiceField(label=_("Unit"), choices=WorkUnit.choices)
    unit_price = forms.DecimalField(
        label=_("Unit price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    planned_quantity = forms.DecimalField(
        label=_("Planned quantity for the whole contract"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0"))],
    )
    source = forms.ChoiceField(
        label=_("Quantities come"), choices=WorkSource.choices, initial=WorkSource.MANUAL
    )
    loads_from = forms.ChoiceField(
        label=_("Loads counted"),
        choices=LoadScope.choices,
        initial=LoadScope.PUBLIC_AREAS,
        required=False,
        help_text=_("Only for quantities from the trip log."),
    )

    def clean_loads_from(self):
        return self.cleaned_data.get("loads_from") or LoadScope.PUBLIC_AREAS


class WorkRecordForm(forms.Form):
    work_item = forms.ModelChoiceField(label=_("Work"), queryset=None, empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=3, min_value=Decimal("0.001")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_item"].queryset = items


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"month": timezone.localdate().replace(day=1) - datetime.timedelta(days=1)}
        )
        super().__init__(*args, **kwargs)


class DisputeForm(forms.Form):
    comment = forms.CharField(
        label=_("What is wrong with this line"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    corrected_quantity = forms.DecimalField(
        label=_("Corrected quantity"),
        max_digits=12,
        decimal_places=3,
        min_value=Decimal("0"),
        required=False,
        help_text=_("Leave empty to keep the quantity and only explain."),
    )
