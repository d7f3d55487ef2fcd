"""Which documents can be generated in the background: each app registers its kinds here.

A *kind* is a function that builds one file from the organization and plain parameters (JSON), reporting its
progress; the registry says who may ask for it (a permission of the roles table) and how it is called. Apps register
their kinds from their ``AppConfig.ready`` (``billing/documents.py``), so this module imports no domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass

# progress(fraction between 0 and 1)
Progress = Callable[[float], None]


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title: object  # a lazily translated title ("Debtor notices")
    permission: str
    build: Callable[..., Built]  # build(organization, params: dict, progress: Progress) -> Built
    # Checks and normalizes the parameters before anything is queued; raises DomainError with a translated reason.
    clean: Callable[[object, dict], dict]
    # For documents over more than the asking organization (a monitor's region): membership -> extra parameters,
    # computed on the server when the document is asked for and stored with it (never taken from the request).
    scope: Callable[[object], dict] | None = None


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if kind.name in KINDS and KINDS[kind.name] != kind:
        raise ValueError(f"document kind registered twice: {kind.name}")
    KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> DocumentKind | None:
    return KINDS.get(name)


def kind_choices() -> list[tuple[str, object]]:
    """The registered kinds as a model field's choices (evaluated when read, after every app has registered)."""
    return sorted(((name, kind.title) for name, kind in KINDS.items()), key=lambda choice: choice[0])
