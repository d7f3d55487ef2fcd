"""Forms of the subscriber list import: the file, and which column holds which field."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from khizmat.billing.imports import FIELDS, column_choices


class SubscriberImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file; the first row names the columns."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class SubscriberImportMappingForm(forms.Form):
    """One choice per field: the file's column that holds it, or none."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *((str(i), label) for i, label in column_choices(headers))]
        for field in FIELDS:
            label = f"{capfirst(field.label)} *" if field.required else capfirst(field.label)
            self.fields[field.name] = forms.ChoiceField(label=label, choices=choices, required=False)

    @classmethod
    def initial_for(cls, mapping: dict) -> dict:
        return {name: str(index) for name, index in (mapping or {}).items()}

    def mapping(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.cleaned_data.items() if value not in (None, "")}
