"""Why a route plan cannot be made, in the dispatcher's language."""

from django.utils.functional import lazy

from khizmat.core.errors import DomainError


def _interpolate(template, params) -> str:
    return str(template) % params


_lazy_interpolate = lazy(_interpolate, str)


class PlanningError(DomainError):
    """The day's stops, vehicles or places cannot be planned as given (the message says which and why).

    The message stays lazy with its ``params``, so a background task can raise it and the page show it later in
    the reader's language; ``code`` and ``params`` can be stored to render it again.
    """

    default_code = "planning"

    def __init__(self, message, *, code: str | None = None, params: dict | None = None):
        self.params = dict(params or {})
        super().__init__(_lazy_interpolate(message, self.params) if self.params else message, code=code)


class DistanceError(PlanningError):
    """The road distances could not be obtained (e.g. the routing server did not answer)."""

    default_code = "distances"
