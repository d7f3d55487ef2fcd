from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from khizmat.core.forms import PhoneField, set_phone_country
from khizmat.services.choices import FeeStatus, ServiceCategory, ServiceChannel
from khizmat.services.models import Service


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Personal ID number"),
        max_length=20,
        help_text=_("PINFL in Uzbekistan, INN in Kyrgyzstan: 14 digits."),
    )
    applicant_phone = PhoneField(label=_("Phone"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    applicant_language = forms.ChoiceField(label=_("Citizen's language"), choices=settings.LANGUAGES)
    fee_status = forms.ChoiceField(
        label=_("Fee"),
        choices=[
            (FeeStatus.DUE, FeeStatus.DUE.label),
            (FeeStatus.PAID, FeeStatus.PAID.label),
            (FeeStatus.EXEMPT, FeeStatus.EXEMPT.label),
        ],
    )
    documents = MultipleFileField(
        label=_("Scanned documents"), required=False, help_text=_("PDF, JPEG or PNG, up to 10 MB each.")
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        set_phone_country(self, organization.country.code)
        # Built per request: a scoped queryset fixes its filter when created.
        self.fields["service"].queryset = Service.objects.filter(
            organization=organization, is_active=True
        ).order_by("code")


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class DocumentForm(forms.Form):
    documents = MultipleFileField(
        label=_("Scanned documents"), help_text=_("PDF, JPEG or PNG, up to 10 MB each.")
    )


class ServiceForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    category = forms.ChoiceField(label=_("Category"), choices=ServiceCategory.choices)
    name_ky = forms.CharField(label=_("Name in Kyrgyz"), max_length=255, required=False)
    name_uz = forms.CharField(label=_("Name in Uzbek (Latin)"), max_length=255, required=False)
    name_uz_cyrl = forms.CharField(label=_("Name in Uzbek (Cyrillic)"), max_length=255, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=255)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    required_documents = forms.CharField(
        label=_("Required documents"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One document per line."),
    )
    fee = forms.DecimalField(label=_("Fee"), min_value=0, max_digits=14, decimal_places=2)
    deadline_working_days = forms.IntegerField(
        label=_("Legal deadline (working days)"), min_value=1, max_value=365
    )
    responsible_agency = forms.CharField(label=_("Responsible agency"), max_length=255, required=False)
    channel = forms.ChoiceField(label=_("Available"), choices=ServiceChannel.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Application number"), max_length=40)
    phone = PhoneField(label=_("Your phone number"))

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()
