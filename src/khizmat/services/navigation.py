from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register
from khizmat.services.permissions import PERMISSIONS
from khizmat.tenancy.roles import register_permissions

register_permissions(PERMISSIONS)

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
