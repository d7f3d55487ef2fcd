from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from khizmat.core.forms import PhoneField, set_phone_country
from khizmat.reports.choices import ReportStatus
from khizmat.reports.models import ReportType
from khizmat.tenancy.models import Settlement


class PortalReportForm(forms.Form):
    report_type = forms.ModelChoiceField(label=_("What is the problem?"), queryset=ReportType.objects.none())
    description = forms.CharField(
        label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=255, required=False)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    phone = PhoneField(label=_("Phone for updates (optional)"), required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        set_phone_country(self, organization.country.code)
        self.fields["report_type"].queryset = ReportType.objects.filter(
            organization=organization, is_active=True
        ).order_by("code")


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Report number"), max_length=30)


class ReportStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in ReportStatus.choices if c[0] != ReportStatus.DUPLICATE]
    )
    public_note = forms.CharField(
        label=_("Note for the citizen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class LocationReportForm(forms.Form):
    """The national portal: the kind of problem and the place; the organization is found from the place."""

    problem = forms.ChoiceField(label=_("What is the problem?"), choices=())
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address or landmark"), max_length=255, required=False)
    settlement = forms.ModelChoiceField(
        label=_("Town or village"),
        queryset=Settlement.objects.none(),
        required=False,
        help_text=_("Without a point on the map, the address and the town or village tell who handles it."),
    )
    description = forms.CharField(
        label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    phone = PhoneField(label=_("Phone for updates (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        from khizmat.reports.routing import known_problem_codes, routable_settlements

        super().__init__(*args, **kwargs)
        # An empty first choice: a citizen who does not choose gets "required", not the first problem of the list.
        self.fields["problem"].choices = [*BLANK_CHOICE_DASH, *known_problem_codes()]
        self.fields["settlement"].queryset = routable_settlements()
        self.fields["settlement"].label_from_instance = lambda s: f"{s.name} ({s.district})"

    def clean(self):
        data = super().clean()
        has_point = data.get("latitude") is not None and data.get("longitude") is not None
        if not has_point and not data.get("address") and not data.get("photo"):
            self.add_error("address", _("Mark the place on the map or write the address."))
        return data
