from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from khizmat.core.forms import PhoneField
from khizmat.tenancy.roles import Role

COVERAGE_CHOICES = [
    ("", _("Organizations this organization oversees")),
    ("region", _("Every organization of its region")),
    ("country", _("Every organization of its country")),
]


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)
    coverage = forms.ChoiceField(label=_("A monitor watches"), choices=COVERAGE_CHOICES, required=False)


class StaffMemberForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    username = forms.RegexField(
        label=_("Login name"),
        regex=r"^[a-z0-9._-]{3,150}$",
        error_messages={
            "invalid": _("Use 3 or more small Latin letters, digits, dots, dashes or underscores.")
        },
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput, min_length=settings.PASSWORD_MIN_LENGTH
    )
    coverage = forms.ChoiceField(label=_("A monitor watches"), choices=COVERAGE_CHOICES, required=False)


class StaffPasswordForm(forms.Form):
    """A new password an administrator gives a staff member; it is typed twice."""

    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=settings.PASSWORD_MIN_LENGTH,
        strip=False,
    )
    password_again = forms.CharField(
        label=_("New password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password_again") != cleaned["password"]:
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class PersonalDataAccessFilterForm(forms.Form):
    """Filters of the personal-data access log; ``user`` choices are the organization's members."""

    person = forms.CharField(
        label=_("Person's ID number or phone"),
        required=False,
        max_length=40,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    user = forms.TypedChoiceField(label=_("Seen by"), required=False, coerce=int, empty_value=None)
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    record = forms.CharField(
        label=_("Record number"),
        required=False,
        max_length=60,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, members=(), record_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Anyone")), *members]
        self.fields["record_type"].choices = [("", _("All records")), *record_types]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."), code="date_order")
        return data
