"""Domain errors: raised by services, shown to the user in their language."""


class DomainError(Exception):
    """A business rule refused the change. ``message`` is translatable, ``code`` is stable for the API; ``field``
    names the input at fault when there is one (forms show the message by that field, the API returns it)."""

    default_code = "invalid"

    def __init__(self, message, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def add_to_form(self, form) -> None:
        """Show the refusal on ``form``: by the field it names when the form has that field, else on top."""
        form.add_error(self.field if self.field in form.fields else None, self.message)

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    default_code = "permission_denied"
