from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khizmat.queue.models import Counter, QueueScreen


class ServiceGroupForm(forms.Form):
    letter = forms.RegexField(
        label=_("Letter"),
        regex=r"^[A-Z]$",
        error_messages={"invalid": _("One capital Latin letter, A to Z.")},
    )
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=150)


class CounterForm(forms.Form):
    number = forms.IntegerField(label=_("Window number"), min_value=1, max_value=999)
    group_letters = forms.RegexField(
        label=_("Groups served"),
        regex=r"^[A-Z]+$",
        error_messages={"invalid": _("Capital letters of the groups, e.g. AB.")},
    )


class ScreenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QueueScreen.Kind.choices)
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=100)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    counter = forms.ModelChoiceField(
        label=_("Window (rating tablets)"), queryset=Counter.objects.none(), required=False
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = Counter.objects.filter(organization=organization, is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("kind") == QueueScreen.Kind.TABLET and not data.get("counter"):
            self.add_error("counter", _("A rating tablet belongs to one window: choose it."))
        return data


class TransferForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("Window"), queryset=Counter.objects.none())

    def __init__(self, *args, organization, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        counters = Counter.objects.filter(organization=organization, is_active=True)
        if exclude is not None:
            counters = counters.exclude(pk=exclude.pk)
        self.fields["counter"].queryset = counters.order_by("number")
