"""Documents made in the background: asked for in a request, built by a task, downloaded when ready.

Anything that can take longer than a second (an export of every subscriber, a few hundred notices in one PDF) is
a document: the page or the API answers at once with the document's address, the task builds it with its
progress, and the file is kept for download. The rules for who may ask and with which parameters are the kind's
(``registry``), checked here, so the web page and the API cannot disagree.
"""

import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.documents.models import DocumentStatus, GeneratedDocument
from khizmat.documents.registry import kind_named
from khizmat.tenancy.localtime import organization_timezone

logger = logging.getLogger(__name__)

# The progress column is written at most this often (seconds), whatever the kind reports.
PROGRESS_INTERVAL = 1.0


def document_request(*, actor, membership, kind: str, params: dict | None = None) -> GeneratedDocument:
    """Queue a document of ``kind`` for the membership's organization; the task starts after the commit."""
    from khizmat.documents.tasks import generate_document

    document_kind = kind_named(kind)
    if document_kind is None:
        raise DomainError(_("There is no such document."), code="unknown_document")
    if not membership.has_permission(document_kind.permission):
        raise PermissionDenied(_("Your role does not allow this document."))
    organization = membership.organization
    cleaned = document_kind.clean(organization, dict(params or {}))
    if document_kind.scope is not None:
        cleaned.update(document_kind.scope(membership))
    document = GeneratedDocument.objects.create(
        organization=organization,
        kind=kind,
        params=cleaned,
        language=translation.get_language() or "ru",
        requested_by=actor,
    )
    transaction.on_commit(lambda: generate_document.enqueue(document_id=document.pk))
    return document


def _claim(document_id: int, *, retry: bool = False) -> bool:
    """Queued → running, once: a second worker (or a task run twice) finds nothing to claim. A retry of a task whose
    worker died mid-build takes over the document that worker left running."""
    claimable = [DocumentStatus.QUEUED, DocumentStatus.RUNNING] if retry else [DocumentStatus.QUEUED]
    return bool(
        GeneratedDocument.objects.filter(pk=document_id, status__in=claimable).update(
            status=DocumentStatus.RUNNING, started_at=timezone.now()
        )
    )


def _progress_writer(document_id: int):
    last = [0.0]

    def progress(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        percent = max(0, min(99, int(fraction * 100)))
        GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.RUNNING).update(
            progress=percent
        )

    return progress


def document_generate(*, document_id: int, retry: bool = False) -> GeneratedDocument:
    """Build the document's file (the task's body). Safe to run twice: only a queued document is built, or, on the
    ``retry`` of a task whose worker died (khizmat.core.taskrecovery), the running one it left."""
    if not _claim(document_id, retry=retry):
        return GeneratedDocument.objects.get(pk=document_id)
    document = GeneratedDocument.objects.select_related("organization__country").get(pk=document_id)
    organization = document.organization
    document_kind = kind_named(document.kind)
    try:
        with translation.override(document.language), organization_timezone(organization):
            if document_kind is None:
                raise DomainError(_("There is no such document."), code="unknown_document")
            built = document_kind.build(organization, document.params, _progress_writer(document.pk))
    except DomainError as error:
        with translation.override(document.language):
            message = str(error.message)
        return _finish_failed(document, message)
    except Exception:
        logger.exception("Document %s (%s) failed", document.pk, document.kind)
        with translation.override(document.language):
            message = _(
                "The document could not be prepared. Try again; if it fails again, tell the administrator."
            )
        return _finish_failed(document, message)
    document.file.save(built.filename, ContentFile(built.content), save=False)
    document.filename = built.filename
    document.content_type = built.content_type
    document.size = len(built.content)
    document.status = DocumentStatus.DONE
    document.progress = 100
    document.finished_at = timezone.now()
    document.save(
        update_fields=["file", "filename", "content_type", "size", "status", "progress", "finished_at"]
    )
    return document


def _finish_failed(document: GeneratedDocument, message: str) -> GeneratedDocument:
    document.status = DocumentStatus.FAILED
    document.error = message
    document.finished_at = timezone.now()
    document.save(update_fields=["status", "error", "finished_at"])
    return document
