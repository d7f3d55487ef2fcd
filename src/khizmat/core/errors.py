"""Domain errors: raised by services, shown to the user in their language.

Each error carries the HTTP status the API answers with, so that a client can tell a business rule that refused
the request (**422**: the input was well-formed, the rules say no) from a conflict with the current state of the
thing (**409**: already done, closed, taken, in another status, in flight — the same request may succeed once the
state has changed). Input that is not even well-formed is the serializers' 400.
"""

# Codes whose refusal is a conflict with the current state (409). Every other code is a refused rule (422). A new
# code that names a state (``*_closed``, ``already_*``, ``*_taken``, ``not_<status>``) belongs here.
CONFLICT_CODES = frozenset(
    {
        "act_not_draft",
        "act_not_submitted",
        "already_closed",
        "already_posted",
        "already_rated",
        "already_reversed",
        "answered",
        "code_taken",
        "contract_closed",
        "contract_in_closed_period",
        "contract_not_active",
        "contract_not_draft",
        "counter_busy",
        "desk_closed",
        "desk_inactive",
        "dispute_open",
        "duplicate_code",
        "duplicate_key",
        "duplicate_name",
        "duplicate_number",
        "duplicate_participant",
        "duplicate_point",
        "duplicate_vehicle",
        "event_cancelled",
        "event_has_attendance",
        "event_not_empty",
        "finished",
        "group_closed",
        "idempotency_key_reused",
        "illegal_ticket_step",
        "illegal_transition",
        "import_busy",
        "import_done",
        "import_mapping_changed",
        "import_not_checked",
        "import_race",
        "items_on_act",
        "last_admin",
        "letter_taken",
        "line_disputed",
        "line_not_disputed",
        "line_not_open",
        "line_posted",
        "load_month_closed",
        "month_submitted",
        "not_failed",
        "not_resolved",
        "not_served",
        "number_taken",
        "payment_in_flight",
        "period_closed",
        "plan_not_ready",
        "possible_duplicate",
        "post_conflict",
        "queue_empty",
        "route_started",
        "run_in_progress",
        "run_not_draft",
        "run_not_in_progress",
        "same_status",
        "serial_taken",
        "statement_posted",
        "tariff_duplicate",
        "tariff_in_closed_period",
        "trip_loads_twice",
        "username_taken",
        "written_off",
    }
)


class DomainError(Exception):
    """A business rule refused the change. ``message`` is translatable, ``code`` is stable for the API, ``status``
    is the API's answer (409 for a conflict with the current state, else 422; ``status=`` overrides); ``field`` names
    the input at fault when a field rule refused it (forms show the message by that field, the API returns it)."""

    default_code = "invalid"

    def __init__(
        self, message, *, code: str | None = None, status: int | None = None, field: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self._status = status
        self.field = field

    @property
    def status(self) -> int:
        if self._status is not None:
            return self._status
        return 409 if self.code in CONFLICT_CODES else 422

    def add_to_form(self, form) -> None:
        """Show the refusal on ``form``: by the field it names when the form has that field, else on top."""
        form.add_error(self.field if self.field in form.fields else None, self.message)

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    default_code = "permission_denied"
