"""Domain errors: raised by services, shown to the user in their language."""


class DomainError(Exception):
    """A business rule refused the change. ``message`` is translatable, ``code`` is stable for the API."""

    default_code = "invalid"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    default_code = "permission_denied"
