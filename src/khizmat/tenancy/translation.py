"""Names entered by staff, in the five interface languages (django-modeltranslation).

The audit trail of these models is registered here, after modeltranslation has added the ``name_<language>``
columns, so that the history tables record every translation too.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from khizmat.tenancy.models import CalendarDay, Country, District, Organization, Region, Settlement


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name",)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(District)
class DistrictTranslation(TranslationOptions):
    fields = ("name",)


@register(Settlement)
class SettlementTranslation(TranslationOptions):
    fields = ("name",)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name",)


@register(CalendarDay)
class CalendarDayTranslation(TranslationOptions):
    fields = ("name",)


for _model in (Country, Region, District, Settlement, Organization, CalendarDay):
    register_history(
        _model, app="khizmat.tenancy", excluded_fields=["search_key"] if hasattr(_model, "search_key") else []
    )
