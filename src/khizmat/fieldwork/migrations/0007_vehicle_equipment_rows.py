"""Every vehicle becomes an equipment record of its organization (type "vehicle"): its make and model, its donor (as
the funder project when a funder project's name or code matches, else kept in the notes) and its status (in service →
in use, in repair → in repair, retired → written off). Set-based: per organization, one bulk insert of the rows and
of their history, one query back for their ids and one bulk update of the vehicles. The inventory numbers come from
the organization's "equipment" sequence, as the inventory's service hands them out.
"""

from django.db import migrations
from django.utils import timezone

STATUS = {"active": "in_use", "repair": "in_repair", "retired": "written_off"}
BACK = {value: key for key, value in STATUS.items()}
BATCH = 500


def _funder_projects(Organization):
    projects = {}
    for project in Organization.objects.filter(kind="funder_project"):
        names = [project.code, project.name]
        names += [getattr(project, f"name_{suffix}", "") or "" for suffix in ("ky", "uz", "uz_cyrl", "ru", "en")]
        for name in names:
            if name:
                projects.setdefault(" ".join(name.lower().split()), project.pk)
    return projects


def forward(apps, schema_editor):
    from django_scopes import scopes_disabled

    Vehicle = apps.get_model("fieldwork", "Vehicle")
    Equipment = apps.get_model("inventory", "Equipment")
    HistoricalEquipment = apps.get_model("inventory", "HistoricalEquipment")
    NumberSequence = apps.get_model("tenancy", "NumberSequence")
    Organization = apps.get_model("tenancy", "Organization")
    with scopes_disabled():
        projects = _funder_projects(Organization)
        organization_ids = (
            Vehicle.objects.filter(equipment=None).values_list("organization_id", flat=True).distinct().order_by()
        )
        now = timezone.now()
        fields = [f.attname for f in Equipment._meta.fields]
        for organization_id in sorted(set(organization_ids)):
            vehicles = list(Vehicle.objects.filter(organization_id=organization_id, equipment=None).order_by("pk"))
            sequence, _created = NumberSequence.objects.get_or_create(
                organization_id=organization_id, key="equipment"
            )
            taken = set(Equipment.objects.filter(organization_id=organization_id).values_list("inventory_number", flat=True))
            value, numbers = sequence.last_value, []
            while len(numbers) < len(vehicles):
                value += 1
                if f"{value:06d}" not in taken:
                    numbers.append(f"{value:06d}")
            sequence.last_value = value
            sequence.save(update_fields=["last_value"])
            rows = []
            for vehicle, number in zip(vehicles, numbers, strict=True):
                donor = " ".join((vehicle.donor or "").split())
                project = projects.get(donor.lower()) if donor else None
                notes = f"{donor}" if donor and project is None else ""
                rows.append(
                    Equipment(
                        organization_id=organization_id,
                        inventory_number=number,
                        type="vehicle",
                        model=(vehicle.make_model or vehicle.plate)[:200],
                        serial_number="",
                        funder_project_id=project,
                        status=STATUS.get(vehicle.status, "in_use"),
                        notes=notes,
                    )
                )
            Equipment.objects.bulk_create(rows, batch_size=BATCH)
            ids = dict(
                Equipment.objects.filter(organization_id=organization_id, inventory_number__in=numbers).values_list(
                    "inventory_number", "pk"
                )
            )
            HistoricalEquipment.objects.bulk_create(
                [
                    HistoricalEquipment(
                        **{name: getattr(row, name) for name in fields if name != "id"},
                        id=ids[row.inventory_number],
                        history_date=now,
                        history_type="+",
                        history_change_reason="from the vehicle",
                    )
                    for row in rows
                ],
                batch_size=BATCH,
            )
            for vehicle, number in zip(vehicles, numbers, strict=True):
                vehicle.equipment_id = ids[number]
            Vehicle.objects.bulk_update(vehicles, ["equipment"], batch_size=BATCH)


def backward(apps, schema_editor):
    from django_scopes import scopes_disabled

    Vehicle = apps.get_model("fieldwork", "Vehicle")
    Equipment = apps.get_model("inventory", "Equipment")
    with scopes_disabled():
        vehicles = list(Vehicle.objects.exclude(equipment=None).select_related("equipment__funder_project"))
        for vehicle in vehicles:
            equipment = vehicle.equipment
            vehicle.make_model = equipment.model[:100]
            vehicle.status = BACK.get(equipment.status, "active")
            vehicle.donor = (equipment.funder_project.name if equipment.funder_project else equipment.notes)[:200]
        Vehicle.objects.bulk_update(vehicles, ["make_model", "status", "donor"], batch_size=BATCH)
        ids = [vehicle.equipment_id for vehicle in vehicles]
        Vehicle.objects.filter(pk__in=[v.pk for v in vehicles]).update(equipment=None)
        Equipment.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0006_vehicle_equipment"),
        ("inventory", "0001_initial"),
        ("tenancy", "0004_numbersequence_from_core"),
    ]

    operations = [migrations.RunPython(forward, backward)]
