"""Background tasks of trainings: thin shells over the import's service, taking ids only."""

from django_tasks import task

from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task()
def run_participant_import(import_id: int, actor_id: int, step: str) -> str:
    """Check or import a participant list (trainings.imports.participant_import_run); the result stays on the
    record."""
    from khizmat.tenancy.models import User
    from khizmat.trainings.imports import participant_import_run
    from khizmat.trainings.models import ParticipantImport

    with scopes_disabled():
        organization_id = ParticipantImport.objects.values_list("organization_id", flat=True).get(
            pk=import_id
        )
    with organization_context(organization_id):
        record = ParticipantImport.objects.select_related("organization").get(pk=import_id)
        participant_import_run(actor=User.objects.get(pk=actor_id), record=record, step=step)
        return ParticipantImport.objects.values_list("status", flat=True).get(pk=import_id)
