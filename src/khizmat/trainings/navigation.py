from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register

register(
    NavEntry(
        "trainings:event_list",
        _("Trainings and events"),
        "trainings.view",
        _("Trainings, seminars and experience exchanges: participants, attendance and counts by sex."),
        order=60,
    )
)
