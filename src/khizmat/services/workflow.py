"""The application workflow: explicit transitions and who may take each.

received → in review → (needs more information ↔ in review) → approved / rejected → issued to the citizen / closed
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khizmat.services.choices import ApplicationStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    permission: str
    label: str | Promise
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "start_review",
            frozenset({S.RECEIVED, S.NEEDS_INFO}),
            S.IN_REVIEW,
            "applications.process",
            _("Start review"),
        ),
        Transition(
            "request_info",
            frozenset({S.IN_REVIEW}),
            S.NEEDS_INFO,
            "applications.process",
            _("Ask the citizen for more information"),
            needs_comment=True,
        ),
        Transition("approve", frozenset({S.IN_REVIEW}), S.APPROVED, "applications.decide", _("Approve")),
        Transition(
            "reject",
            frozenset({S.IN_REVIEW}),
            S.REJECTED,
            "applications.decide",
            _("Reject"),
            needs_comment=True,
        ),
        Transition(
            "issue", frozenset({S.APPROVED}), S.ISSUED, "applications.process", _("Issue to the citizen")
        ),
        Transition("close", frozenset({S.ISSUED, S.REJECTED}), S.CLOSED, "applications.process", _("Close")),
    )
}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
