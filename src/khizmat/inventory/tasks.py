"""Background tasks of the inventory: thin shells over services, taking ids only, safe to run twice."""

from django_tasks import task

from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task()
def run_equipment_import(import_id: int, actor_id: int, step: str) -> str:
    """Check or import a supplier's list (inventory.imports.equipment_import_run); the result stays on the record."""
    from khizmat.inventory.imports import equipment_import_run
    from khizmat.inventory.models import EquipmentImport
    from khizmat.tenancy.models import User

    with scopes_disabled():
        organization_id = EquipmentImport.objects.values_list("organization_id", flat=True).get(pk=import_id)
    with organization_context(organization_id):
        record = EquipmentImport.objects.select_related("organization").get(pk=import_id)
        equipment_import_run(actor=User.objects.get(pk=actor_id), record=record, step=step)
        return EquipmentImport.objects.values_list("status", flat=True).get(pk=import_id)
