import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from khizmat.billing.models import CashDesk, Exemption, Subscriber, SubscriberCategory, Tariff
from khizmat.core.forms import PhoneField, set_phone_country
from khizmat.tenancy.models import Settlement


class SubscriberForm(forms.ModelForm):
    # Tenant querysets are set per request in __init__ (a scoped manager cannot be queried at import time).
    category = forms.ModelChoiceField(label=_("Category"), queryset=SubscriberCategory.objects.none())
    exemption = forms.ModelChoiceField(
        label=_("Exemption"), queryset=Exemption.objects.none(), required=False
    )
    # Checked and normalized by services.subscriber_save, like every writer's.
    phone = PhoneField(label=_("Phone"), required=False)

    class Meta:
        model = Subscriber
        fields = [
            "number",
            "kind",
            "holder_name",
            "holder_id_number",
            "phone",
            "language",
            "settlement",
            "street",
            "house",
            "apartment",
            "category",
            "residents",
            "units",
            "exemption",
            "contract_start",
            "contract_end",
        ]
        widgets = {
            "contract_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contract_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"number": _("Leave empty to take the next free number.")}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        set_phone_country(self, organization.country.code)
        self.fields["number"].required = False
        self.fields["settlement"].queryset = Settlement.objects.filter(
            district__region__country=organization.country
        ).order_by("name")
        self.fields["category"].queryset = SubscriberCategory.objects.filter(organization=organization)
        self.fields["exemption"].queryset = Exemption.objects.filter(
            organization=organization, is_active=True
        )

    def _post_clean(self):
        # The organization is not a form field: set it before the model's own validation (unique number per org).
        self.instance.organization = self.organization
        super()._post_clean()


class SubscriberStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    on = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For closing."),
    )

    def __init__(self, *args, **kwargs):
        from khizmat.billing.choices import SubscriberStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = SubscriberStatus.choices


class PaymentForm(forms.Form):
    """Cash at the desk. ``key`` is made when the form is shown, so a double submit posts once."""

    amount = forms.DecimalField(label=_("Amount received"), max_digits=14, decimal_places=2, min_value=0.01)
    desk = forms.ModelChoiceField(label=_("Cash desk"), queryset=CashDesk.objects.none())
    payer_name = forms.CharField(label=_("Paid by"), max_length=255, required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    # Shown (as a checkbox) only after the service took the payment for a repeat of one just taken.
    confirm_repeat = forms.BooleanField(
        label=_("Yes, this is another payment: take it"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, organization, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("key", str(uuid.uuid4()))
        super().__init__(*args, **kwargs)
        desks = CashDesk.objects.filter(organization=organization, is_active=True)
        self.fields["desk"].queryset = desks
        if not self.initial.get("desk") and len(desks) == 1:
            self.initial["desk"] = desks[0].pk

    def ask_to_confirm_repeat(self) -> None:
        self.fields["confirm_repeat"].widget = forms.CheckboxInput()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Positive raises the debt, negative lowers it."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ClosingForm(forms.Form):
    counted_cash = forms.DecimalField(
        label=_("Cash counted in the drawer"), max_digits=14, decimal_places=2, min_value=0
    )
    note = forms.CharField(
        label=_("Explanation of a difference"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class RunForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class TariffForm(forms.ModelForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=SubscriberCategory.objects.none())

    class Meta:
        model = Tariff
        fields = [
            "category",
            "service",
            "unit",
            "price",
            "effective_from",
            "decision_number",
            "decision_date",
            "council",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["category"].queryset = SubscriberCategory.objects.filter(organization=organization)

    def _post_clean(self):
        self.instance.organization = self.organization
        self.instance.currency = self.organization.currency
        super()._post_clean()


class CategoryForm(forms.ModelForm):
    class Meta:
        model = SubscriberCategory
        fields = ["code", "name", "kind"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def _post_clean(self):
        self.instance.organization = self.organization
        super()._post_clean()


class ExemptionForm(forms.ModelForm):
    class Meta:
        model = Exemption
        fields = ["name", "percent", "basis", "is_active"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def _post_clean(self):
        self.instance.organization = self.organization
        super()._post_clean()


LANGUAGE_CHOICES = settings.LANGUAGES
