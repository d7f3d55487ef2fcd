from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "khizmat.trainings"
    label = "trainings"
    verbose_name = _("Trainings and events")

    def ready(self):
        from khizmat.tenancy.roles import Role, register_permissions

        register_permissions(
            {
                # Events, their sex-disaggregated counts and materials (monitors: over their coverage, counts only).
                "trainings.view": frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR, Role.MONITOR}),
                # Participants' names, positions and phones: the organizer's own members, never a monitor.
                "trainings.people": frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR}),
                # Recording events, participants, attendance, materials and imports.
                "trainings.manage": frozenset({Role.MANAGER, Role.ADMIN}),
            }
        )
        from khizmat.trainings import navigation  # noqa: F401
