"""Forms of the trainings pages. They only shape the input; the rules are the services' (``services.py``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khizmat.core.forms import PhoneField, set_phone_country
from khizmat.tenancy.models import Organization, Settlement
from khizmat.trainings.choices import EventKind, EventStatus, Sex
from khizmat.trainings.selectors import funder_projects

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    settlement = forms.ModelChoiceField(
        label=_("Town or village"), queryset=Settlement.objects.none(), required=False
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=255,
        required=False,
        help_text=_("The building or hall, e.g. the hokimiyat's hall."),
    )
    funder_project = forms.ModelChoiceField(
        label=_("Funder project"), queryset=Organization.objects.none(), required=False
    )
    participating_organizations = forms.ModelMultipleChoiceField(
        label=_("Participating organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The organizations whose staff take part; people from others are written by name."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=EventStatus.choices, initial=EventStatus.PLANNED)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.filter(
            district__region__country=organization.country_id
        ).order_by("name")
        self.fields["funder_project"].queryset = funder_projects()
        self.fields["participating_organizations"].queryset = Organization.objects.filter(
            is_active=True, country=organization.country_id
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The event cannot end before its first day."))
        return data


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False
    )
    funder_project = forms.ModelChoiceField(
        label=_("Funder project"), queryset=Organization.objects.none(), required=False, empty_label=_("All")
    )
    date_from = forms.DateField(label=_("From"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("To"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder_project"].queryset = funder_projects()


def affiliation_choices(event) -> "forms.QuerySet":
    """The organizations a participant may come from on the form: the organizer, the funder project and the
    participating organizations (anyone else is written by name)."""
    ids = {event.organization_id, *event.participating_organizations.values_list("pk", flat=True)}
    if event.funder_project_id:
        ids.add(event.funder_project_id)
    return Organization.objects.filter(pk__in=ids, is_active=True).order_by("name")


class ParticipantForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    affiliation = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    affiliation_name = forms.CharField(
        label=_("Other organization"),
        max_length=255,
        required=False,
        help_text=_("When the organization is not in the list: its name as the participant writes it."),
    )
    position = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    attended = forms.BooleanField(label=_("Attended"), required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affiliation"].queryset = affiliation_choices(event)
        set_phone_country(self, event.organization.country.code)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, PowerPoint, Excel, JPEG or PNG, at most 25 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.pptx,.xlsx,.jpg,.jpeg,.png"}),
    )
