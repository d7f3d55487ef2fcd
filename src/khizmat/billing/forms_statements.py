"""Forms of the bank statement pages: statement formats (column mappings), the upload, matching a line by hand."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from khizmat.billing.choices import PaymentMethod
from khizmat.billing.models import BankProfile


class BankProfileForm(forms.ModelForm):
    class Meta:
        model = BankProfile
        fields = [
            "name",
            "method",
            "date_column",
            "date_format",
            "amount_column",
            "account_column",
            "purpose_column",
            "payer_column",
            "reference_column",
        ]
        help_texts = {
            "date_column": _(
                "The column name exactly as in the file's header row; case and spaces do not matter."
            ),
            "account_column": _(
                "Leave empty if the bank has no such column; the purpose column is searched then."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [
            (value, label) for value, label in PaymentMethod.choices if value != PaymentMethod.CASH
        ]


class StatementUploadForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Statement format"), queryset=BankProfile.objects.none())
    file = forms.FileField(
        label=_("File"),
        validators=[FileExtensionValidator(["csv", "txt", "xlsx"])],
        help_text=_("CSV (separated by semicolons, commas or tabs) or Excel .xlsx, up to 200,000 lines."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = BankProfile.objects.filter(organization=organization).order_by(
            "name"
        )


class LineMatchForm(forms.Form):
    account = forms.CharField(label=_("Account number"), max_length=100)
