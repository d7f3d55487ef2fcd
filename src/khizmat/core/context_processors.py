from django.conf import settings

from khizmat.core.navigation import entries_for


def shell(request):
    membership = getattr(request, "membership", None)
    return {
        "nav_entries": entries_for(membership),
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "current_organization": getattr(request, "organization", None),
        "available_languages": settings.LANGUAGES,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
