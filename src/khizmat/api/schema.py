"""OpenAPI schema: every operation has its module's tag, a summary, a description and the error answers it can
give, in one shape. The schema is written in English (``EnglishSchemaGenerator``), whoever asks; the API's
answers are in the caller's language."""

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` (translated) and, for business rules, a stable `code` and the `field` at fault "
    "when there is one; validation errors map each field to its messages.",
    # A validation error maps each field to its messages, and a field may itself be called ``code`` (an indicator's
    # code), ``detail`` or ``field``: each is a string or a list of messages.
    "properties": {
        name: {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
        for name in ("detail", "code", "field")
    },
    "additionalProperties": True,
}
ERRORS = {
    "400": "Invalid input: a field, a filter or a paging parameter is not well-formed",
    "401": "Not authenticated: no token, or a token that is not valid (see the `WWW-Authenticate` header)",
    "403": "The role does not allow this",
    "404": "Not found (or another organization's)",
    "405": "Method not allowed",
    "429": "Too many requests",
}
# Only changes can break a business rule or meet the current state of the thing (khizmat.core.errors).
WRITE_ERRORS = {
    "409": "Conflict with the current state: already done, closed, taken, in another status or still in flight "
    "(`code` says which); the same request may succeed once the state has changed",
    "422": "A business rule refused the change (`code` says which, `detail` why, in the caller's language)",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_STANDARD = {
    "list": (
        "List {plural}",
        "The {plural} of the caller's organization, one page at a time (`page`, `page_size`), "
        "with the filters and `ordering` below.",
    ),
    "retrieve": (
        "Show one {name}",
        "One {name} of the caller's organization by its id; another organization's id answers 404.",
    ),
    "create": (
        "Create {a_name}",
        "Creates {a_name} in the caller's organization through the same rules as the web form.",
    ),
    "update": (
        "Replace {a_name}",
        "Changes {a_name} of the caller's organization through the same rules as the web form.",
    ),
    "partial_update": (
        "Change {a_name}",
        "Changes the given fields of {a_name} of the caller's organization "
        "through the same rules as the web form.",
    ),
    "destroy": ("Delete {a_name}", "Deletes {a_name} of the caller's organization."),
}


def _with_article(name: str) -> str:
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def module_of(view) -> str:
    """``khizmat.billing.api.views`` → ``billing``."""
    parts = type(view).__module__.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "khizmat" else parts[0]


class KhizmatAutoSchema(AutoSchema):
    def _model_names(self) -> tuple[str, str]:
        queryset = getattr(self.view, "queryset", None)
        model = getattr(queryset, "model", None)
        if model is None:
            return "item", "items"
        return str(model._meta.verbose_name), str(model._meta.verbose_name_plural)

    def _action(self) -> str:
        action = getattr(self.view, "action", None)
        if action == "list" and not self._is_list_view():
            return "retrieve"
        return action or self.method.lower()

    def get_tags(self) -> list[str]:
        return [module_of(self.view)]

    def get_summary(self) -> str:
        name, plural = self._model_names()
        action = self._action()
        if action in _STANDARD:
            return _STANDARD[action][0].format(a_name=_with_article(name), name=name, plural=plural)
        doc = super().get_description()
        if doc:
            return doc.strip().splitlines()[0].rstrip(".")
        return f"{action.replace('_', ' ').capitalize()} ({name})"

    def get_description(self) -> str:
        name, plural = self._model_names()
        action = self._action()
        action_method = getattr(self.view, action, None) if action else None
        own = (getattr(action_method, "__doc__", None) or "").strip()
        if own and action not in _STANDARD:
            return own
        if action in _STANDARD:
            text = _STANDARD[action][1].format(a_name=_with_article(name), name=name, plural=plural)
            view_doc = (type(self.view).__doc__ or "").strip()
            return f"{text}\n\n{view_doc}" if view_doc else text
        return super().get_description() or self.get_summary()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = ERRORS if self.method in SAFE_METHODS else {**ERRORS, **WRITE_ERRORS}
        for status, description in errors.items():
            responses.setdefault(
                status,
                {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}},
            )
        return responses


class EnglishSchemaGenerator(SchemaGenerator):
    """The OpenAPI document in one language, English (model names, summaries, enum labels), for the schema view and
    ``khizmat spectacular --file`` alike: one language per answer, whatever the caller's interface language."""

    def get_schema(self, request=None, public=False):
        with translation.override("en"):
            return super().get_schema(request=request, public=public)
