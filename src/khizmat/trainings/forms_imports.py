"""The form of the participant list import: the file (the columns are found by their headers)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ParticipantImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) like the template: the first row names the columns."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
