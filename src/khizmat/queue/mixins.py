"""Pages of a queue screen (kiosk, board, rating tablet) addressed by ``/q/<organization code>/<token>/…``."""

from django.http import Http404
from django.utils import translation

from khizmat.queue import selectors
from khizmat.queue.models import QueueScreen
from khizmat.tenancy.localtime import activate_for
from khizmat.tenancy.scoping import scope
from khizmat.tenancy.selectors import active_organization_by_code


class ScreenMixin:
    """Resolve organization and screen from the link, then work inside that organization's scope."""

    kind: str = ""
    model = QueueScreen

    def dispatch(self, request, org_code: str, token: str, *args, **kwargs):
        organization = active_organization_by_code(org_code)
        if organization is None:
            raise Http404
        activate_for(organization)
        with scope(organization=[organization.pk]):
            screen = selectors.screen_get(organization=organization, token=token, kind=self.kind)
            if screen is None:
                raise Http404
            self.organization, self.screen = organization, screen
            with translation.override(screen.language):
                response = super().dispatch(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                response.headers["Content-Language"] = screen.language
                return response
