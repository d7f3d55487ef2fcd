import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khizmat.core.forms import PhoneField, set_phone_country
from khizmat.fieldwork.choices import PlanScope, ServiceKind
from khizmat.fieldwork.models import CrewMember, FuelRecord, MaintenanceRule, Vehicle, VehicleService
from khizmat.fieldwork.services import MAX_SEARCH_SECONDS
from khizmat.inventory.choices import EquipmentStatus
from khizmat.tenancy.choices import Currency
from khizmat.tenancy.models import Membership, Organization

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


# --- Fleet ----------------------------------------------------------------------------------------------------------


class ServiceInputForm(forms.ModelForm):
    """A form that only reads input for a service function (which checks every rule and saves): the model gives the
    fields their labels, help and limits; the model's own validation is the service's to run."""

    def _post_clean(self):
        pass


def _dates(form_class):
    for field in form_class.base_fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE_INPUT
    return form_class


@_dates
class VehicleForm(ServiceInputForm):
    make_model = forms.CharField(label=_("make and model"), max_length=200, required=False)
    funder_project = forms.ModelChoiceField(
        label=_("funder project"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The donor project that gave the vehicle, if one did."),
    )
    serial_number = forms.CharField(label=_("VIN or serial number"), max_length=100, required=False)
    inventory_number = forms.CharField(
        label=_("inventory number"),
        max_length=40,
        required=False,
        help_text=_("Empty: the next free number."),
    )
    cost = forms.DecimalField(label=_("cost"), max_digits=16, decimal_places=2, min_value=0, required=False)
    currency = forms.ChoiceField(label=_("currency"), choices=[("", "—"), *Currency.choices], required=False)
    delivery_date = forms.DateField(label=_("delivery date"), required=False)

    class Meta:
        model = Vehicle
        fields = ["plate", "kind", "year", "capacity_m3", "capacity_kg", "fuel_norm", "notes"]

    field_order = ["plate", "kind", "make_model", "year", "capacity_m3", "capacity_kg", "fuel_norm"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from khizmat.inventory.forms import funder_projects

        self.fields["funder_project"].queryset = funder_projects()


class VehicleStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EquipmentStatus.choices)
    reason = forms.CharField(label=_("Why"), max_length=500)


@_dates
class MaintenanceRecordForm(ServiceInputForm):
    # Declared with an empty queryset: a field the model builds would read the tenant-scoped manager at import.
    rule = forms.ModelChoiceField(
        label=_("scheduled service done"),
        queryset=MaintenanceRule.objects.none(),
        required=False,
        help_text=_("The maintenance plan's service this entry fulfils: it is next due counted from here."),
    )

    class Meta:
        model = VehicleService
        fields = ["date", "kind", "rule", "odometer_km", "cost", "description"]

    def __init__(self, *args, vehicle: Vehicle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["kind"].initial = ServiceKind.SERVICE
        self.fields["rule"].queryset = MaintenanceRule.objects.filter(
            organization=vehicle.organization_id, vehicle=vehicle, is_active=True
        )


@_dates
class FuelRecordForm(ServiceInputForm):
    class Meta:
        model = FuelRecord
        fields = ["date", "litres", "cost", "odometer_km", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


@_dates
class MaintenanceRuleForm(ServiceInputForm):
    class Meta:
        model = MaintenanceRule
        fields = ["name", "kind", "every_days", "every_km", "start_date", "start_km", "is_active"]


class CrewMemberForm(ServiceInputForm):
    phone = PhoneField(label=_("phone"), required=False)
    user = forms.ModelChoiceField(
        label=_("login"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("The driver's login: their phone page shows this vehicle's routes."),
    )

    class Meta:
        model = CrewMember
        fields = ["name", "position", "user", "phone", "is_active"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from khizmat.tenancy.models import User

        set_phone_country(self, organization.country.code)

        drivers = Membership.objects.filter(organization=organization, is_active=True).values("user")
        self.fields["user"].queryset = User.objects.filter(pk__in=drivers).order_by("last_name", "first_name")
        self.fields["user"].label_from_instance = lambda user: f"{user.display_name} ({user.username})"
