from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register
from khizmat.tenancy.roles import Role, register_permissions

register_permissions(
    {
        "feedback.view": frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
        "feedback.answer": frozenset({Role.MANAGER, Role.ADMIN}),
    }
)

register(
    NavEntry(
        "feedback:case_list",
        _("Complaints"),
        "feedback.view",
        _("Answer low ratings and written complaints before their deadline."),
        order=6,
    )
)
register(
    NavEntry(
        "feedback:scores",
        _("Satisfaction"),
        "feedback.view",
        _("Follow citizens' ratings of the center and of each operator, month by month."),
        order=7,
    )
)
