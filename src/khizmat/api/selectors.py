"""Reading API tokens."""

from django.utils import timezone

from .models import ApiToken


def api_token_list_for_user(*, user):
    """All of a user's tokens, newest first (revoked and expired ones too, marked as such on the page)."""
    return ApiToken.objects.filter(user=user).select_related("revoked_by")


def api_token_list_active(*, user_ids):
    """Tokens neither revoked nor expired of these users (ids or a subquery of ids), with their users."""
    return (
        ApiToken.objects.filter(user_id__in=user_ids, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("user")
        .order_by("user__username", "-created_at")
    )
