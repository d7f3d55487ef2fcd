"""Service names, descriptions and document lists in the five interface languages; history after translation."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from khizmat.services.models import Service


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "required_documents", "responsible_agency")


register_history(Service, app="khizmat.services")
