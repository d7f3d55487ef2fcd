from django import forms
from django.utils.translation import gettext_lazy as _

from khizmat.core.forms import PhoneField


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How were you served?"),
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("Your complaint"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    citizen_name = forms.CharField(label=_("Your name (optional)"), max_length=255, required=False)
    citizen_phone = PhoneField(label=_("Phone for the answer (optional)"), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the citizen"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
