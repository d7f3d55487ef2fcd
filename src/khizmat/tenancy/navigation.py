"""The menu entries of places, organizations and staff."""

from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register

register(
    NavEntry(
        "tenancy:membership_list",
        _("Staff"),
        "staff.view",
        _("Check who works in your organization and in which role; add new staff members."),
        order=20,
    )
)
register(
    NavEntry(
        "tenancy:organization_detail",
        _("Organization"),
        "organization.view",
        _("See your organization's details and who oversees it."),
        order=40,
    )
)
register(
    NavEntry(
        "tenancy:calendar",
        _("Working days"),
        "calendar.view",
        _("Check public holidays and working days: legal deadlines count working days only."),
        order=50,
    )
)
register(
    NavEntry(
        "tenancy:personal_data_access_list",
        _("Personal data access"),
        "personal_data.access_log",
        _("Check who saw citizens' and subscribers' full ID numbers and phones, when and from where."),
        order=31,
    )
)
