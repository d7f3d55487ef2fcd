from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from khizmat.queue.models import ServiceGroup


@register(ServiceGroup)
class ServiceGroupTranslation(TranslationOptions):
    fields = ("name",)


register_history(ServiceGroup, app="khizmat.queue")
