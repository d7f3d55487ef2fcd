"""Serializers that mask personal data unless their context says the caller may see it in full.

The viewset decides (``full_personal_data`` in the serializer context: khizmat.tenancy.mixins.PersonalDataViewSetMixin
sets it on a detail answer for roles with ``personal_data.full``); lists always get the masked form.
"""

from khizmat.core.masking import mask


class MaskedFieldsMixin:
    """Set ``masked_fields = {"applicant_phone": "phone", "applicant_id_number": "id_number"}``."""

    masked_fields: dict[str, str] = {}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("full_personal_data"):
            for name, kind in self.masked_fields.items():
                if data.get(name):
                    data[name] = mask(kind, data[name])
        return data
