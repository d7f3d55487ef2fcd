"""Category and exemption names in the five interface languages; history after translation."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from khizmat.billing.models import Exemption, SubscriberCategory


@register(SubscriberCategory)
class SubscriberCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Exemption)
class ExemptionTranslation(TranslationOptions):
    fields = ("name",)


register_history(SubscriberCategory, app="khizmat.billing")
register_history(Exemption, app="khizmat.billing")
