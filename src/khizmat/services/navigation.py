from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, Waiting, WaitingSource, register, register_waiting
from khizmat.services.permissions import PERMISSIONS
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.roles import register_permissions

# The catalog is shared (agencies publish national templates); applications are a service center's work.
register_permissions({k: v for k, v in PERMISSIONS.items() if k.startswith("catalog.")})
register_permissions(
    {k: v for k, v in PERMISSIONS.items() if k.startswith("applications.")},
    kinds={OrganizationKind.SERVICE_CENTER},
)

register(
    NavEntry(
        "services:application_list",
        _("Applications"),
        "applications.view",
        _("Register citizens' applications, move them through review and hand out the results on time."),
        order=1,
    )
)
register(
    NavEntry(
        "services:application_overdue",
        _("Overdue"),
        "applications.view",
        _(
            "Applications past their legal deadline and those due in the next two working days: act on them first."
        ),
        order=2,
    )
)
register(
    NavEntry(
        "services:operator_load",
        _("Workload"),
        "applications.load",
        _("See how many open and overdue applications each operator holds; reassign to balance the load."),
        order=3,
    )
)
register(
    NavEntry(
        "services:service_list",
        _("Service catalog"),
        "catalog.view",
        _("Look up a service: documents the citizen must bring, the fee and the legal deadline."),
        order=4,
    )
)


def _overdue_applications(membership) -> list[Waiting]:
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import ngettext

    from khizmat.services.selectors import application_list_overdue

    count = application_list_overdue(organization=membership.organization, today=timezone.localdate()).count()
    if not count:
        return []
    label = ngettext(
        "%(count)s application is past its legal deadline.",
        "%(count)s applications are past their legal deadline.",
        count,
    ) % {"count": count}
    return [Waiting(label, reverse("services:application_overdue"))]


register_waiting(WaitingSource("applications.view", _overdue_applications, order=1))
