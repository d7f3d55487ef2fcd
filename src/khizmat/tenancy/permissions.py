"""One check for services: may this user do this in that organization?"""

from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import PermissionDenied
from khizmat.tenancy.models import Membership, Organization, User


def membership_of(actor: User, organization: Organization) -> Membership | None:
    return (
        Membership.objects.filter(organization=organization, user=actor, is_active=True)
        .select_related("organization")
        .first()
    )


def require_permission(actor: User, organization: Organization, permission: str) -> Membership:
    """The actor's membership in ``organization`` if its role allows ``permission``; else PermissionDenied."""
    membership = membership_of(actor, organization)
    if membership is None or not membership.has_permission(permission):
        raise PermissionDenied(_("Your role does not allow this action."))
    return membership
