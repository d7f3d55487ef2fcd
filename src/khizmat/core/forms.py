from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import flatatt
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from khizmat.core.fieldrules import phone_help_text


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong login name or password. Both are case-sensitive."),
        "inactive": _("This account is switched off. Ask your organization's administrator."),
    }


class PhoneField(forms.CharField):
    """A phone number as people write it (spaces, dashes, brackets, local or international form). The field only
    shows the expected format; the service that stores it normalizes and checks it (``core/fieldrules.py``)."""

    def __init__(self, *, country_code: str | None = None, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", lazy(phone_help_text, str)(country_code))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}


def set_phone_country(form, country_code: str | None) -> None:
    """Narrow the format shown next to the form's phone fields to the organization's country."""
    for field in form.fields.values():
        if isinstance(field, PhoneField):
            field.help_text = lazy(phone_help_text, str)(country_code)


class QuickSelect(forms.Select):
    """A flat select rendered in Python. Django renders one template per option (≈ 0.1 ms each): a filter listing
    every site or district of a country (hundreds of options) would cost a dashboard 80 ms for its menus alone."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option), mark_safe(" selected") if str(option) in selected else "", label)
                for option, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)
