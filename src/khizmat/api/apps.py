from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "khizmat.api"
    label = "khizmat_api"
    verbose_name = _("REST API")

    def ready(self):
        from rest_framework import serializers

        from khizmat.api.fields import ChoiceOrNullField, cache_model_serializer_fields

        # Empty choices are null in every answer (khizmat.api.fields.ChoiceOrNullField).
        serializers.ModelSerializer.serializer_choice_field = ChoiceOrNullField
        # Fields built from the model once per serializer class, copied for each instance.
        cache_model_serializer_fields(serializers.ModelSerializer)
