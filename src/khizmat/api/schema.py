"""OpenAPI schema: every operation documents the error answers it can give, in one shape."""

from drf_spectacular.openapi import AutoSchema

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` (translated) and, for business rules, a stable `code` and the `field` at fault "
    "when there is one; validation errors map each field to its messages.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}, "field": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input or a business rule refused the change",
    "401": "Not authenticated",
    "403": "The role does not allow this",
    "404": "Not found (or another organization's)",
    "405": "Method not allowed",
    "429": "Too many requests",
}


class KhizmatAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, description in ERRORS.items():
            responses.setdefault(
                status,
                {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}},
            )
        return responses
