from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "khizmat.api"
    label = "khizmat_api"
    verbose_name = _("REST API")

    def ready(self):
        from rest_framework import serializers

        from khizmat.api.fields import ChoiceOrNullField

        # Empty choices are null in every answer (khizmat.api.fields.ChoiceOrNullField).
        serializers.ModelSerializer.serializer_choice_field = ChoiceOrNullField
