"""Queries of documents: who may read which."""

from django.http import Http404

from khizmat.documents.models import GeneratedDocument
from khizmat.documents.registry import kind_named
from khizmat.tenancy.privacy import may_see_full


def document_for(membership, pk) -> GeneratedDocument:
    """One document of the membership's organization that its role may read (the kind's permission, the same
    people who may ask for it); anything else is not found. A document made with full personal data is for roles
    that may see it only."""
    document = GeneratedDocument.objects.for_organization(membership.organization).filter(pk=pk).first()
    kind = kind_named(document.kind) if document else None
    if kind is None or not membership.has_permission(kind.permission):
        raise Http404
    if (document.params or {}).get("full_personal_data") and not may_see_full(membership):
        raise Http404
    return document


def documents_of(membership, *, limit: int = 50):
    """The membership's user's recent documents that the role may still read."""
    rows = (
        GeneratedDocument.objects.for_organization(membership.organization)
        .filter(requested_by=membership.user)
        .order_by("-requested_at")[:limit]
    )
    return [
        row for row in rows if (kind := kind_named(row.kind)) and membership.has_permission(kind.permission)
    ]
