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
