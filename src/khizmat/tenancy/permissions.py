"""One check for services: may this user do this in that organization?"""

from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from khizmat.core.errors import PermissionDenied
from khizmat.tenancy.models import Membership, Organization, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.selectors import membership_list_for_user


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


TWO_FACTOR_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def two_factor_required(user) -> bool:
    """Managers and administrators of any organization, and platform staff, sign in with a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(membership.role in TWO_FACTOR_ROLES for membership in membership_list_for_user(user))


def has_two_factor_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))
