from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from khizmat.reports.models import ReportType


@register(ReportType)
class ReportTypeTranslation(TranslationOptions):
    fields = ("name", "description", "group")


register_history(ReportType, app="khizmat.reports")
