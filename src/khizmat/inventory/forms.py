"""Forms of the inventory pages. They only collect input: the rules are the services' (field rules included), and a
refusal is shown by its field (``DomainError.add_to_form``)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from khizmat.inventory.choices import EquipmentCurrency, EquipmentStatus, EquipmentType
from khizmat.inventory.models import Equipment, HandoverAct
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.models import Organization


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def funder_projects():
    return Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT, is_active=True).order_by("name")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class EquipmentForm(forms.Form):
    inventory_number = forms.CharField(
        label=_label(Equipment, "inventory_number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to take the next number of your organization."),
    )
    type = forms.ChoiceField(label=_label(Equipment, "type"), choices=EquipmentType.choices)
    model = forms.CharField(label=_label(Equipment, "model"), max_length=200)
    serial_number = forms.CharField(label=_label(Equipment, "serial_number"), max_length=100, required=False)
    cost = forms.DecimalField(
        label=_label(Equipment, "cost"), required=False, max_digits=16, decimal_places=4
    )
    currency = forms.ChoiceField(
        label=_label(Equipment, "currency"), choices=[("", "—"), *EquipmentCurrency.choices], required=False
    )
    funder_project = forms.ModelChoiceField(
        label=_label(Equipment, "funder_project"), queryset=Organization.objects.none(), required=False
    )
    delivery_date = forms.DateField(
        label=_label(Equipment, "delivery_date"), required=False, widget=DateInput()
    )
    place = forms.CharField(
        label=_label(Equipment, "place"),
        max_length=200,
        required=False,
        help_text=Equipment._meta.get_field("place").help_text,
    )
    notes = forms.CharField(
        label=_label(Equipment, "notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder_project"].queryset = funder_projects()

    @classmethod
    def initial_for(cls, equipment: Equipment) -> dict:
        return {name: getattr(equipment, name) for name in cls.base_fields}


class EquipmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_label(Equipment, "status"), choices=EquipmentStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What happened: kept with the change, for the audit and the funder."),
    )


class EquipmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_label(Equipment, "type"), choices=[("", _("All")), *EquipmentType.choices], required=False
    )
    status = forms.ChoiceField(
        label=_label(Equipment, "status"), choices=[("", _("All")), *EquipmentStatus.choices], required=False
    )
    funder_project = forms.ModelChoiceField(
        label=_label(Equipment, "funder_project"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder_project"].queryset = funder_projects()


class HandoverActForm(forms.Form):
    number = forms.CharField(
        label=_label(HandoverAct, "number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to take the next number of your organization."),
    )
    date = forms.DateField(label=_label(HandoverAct, "date"), widget=DateInput())
    funder_project = forms.ModelChoiceField(
        label=_label(HandoverAct, "funder_project"), queryset=Organization.objects.none(), required=False
    )
    handed_over_by_name = forms.CharField(label=_label(HandoverAct, "handed_over_by_name"), max_length=150)
    handed_over_by_position = forms.CharField(
        label=_label(HandoverAct, "handed_over_by_position"), max_length=150, required=False
    )
    received_by_name = forms.CharField(label=_label(HandoverAct, "received_by_name"), max_length=150)
    received_by_position = forms.CharField(
        label=_label(HandoverAct, "received_by_position"), max_length=150, required=False
    )
    notes = forms.CharField(
        label=_label(HandoverAct, "notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Equipment handed over"),
        queryset=Equipment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Equipment of your organization that is on no act yet."),
    )

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder_project"].queryset = funder_projects()
        if items is not None:
            self.fields["items"].queryset = items


class EquipmentImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) whose first row names the columns, as in the template."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
