"""Writes of the equipment inventory: equipment, its status changes and handover acts.

Every write checks the actor's permission in the organization (``inventory.manage`` unless a calling app names its
own, as field work does for its vehicles), checks the fields (``core.fieldrules``: cost, dates), keeps the history
with the actor, and never updates the ``organization`` column: an equipment row, a status change and an act stay
with the organization they were created in.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import check_amount, check_date, field_rule
from khizmat.inventory.choices import EquipmentCurrency, EquipmentStatus, EquipmentType
from khizmat.inventory.models import Equipment, EquipmentStatusChange, HandoverAct
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import Organization
from khizmat.tenancy.permissions import require_permission
from khizmat.tenancy.sequences import NumberSequence, next_number

PERMISSION = "inventory.manage"
NUMBER_SEQUENCE = "equipment"
ACT_SEQUENCE = "handover-act"
# The fields a person edits on the equipment form (and the API): not the organization, not the status (it changes
# through equipment_status_change, with a reason), not the handover act (set by the act).
EDITABLE_FIELDS = (
    "inventory_number",
    "type",
    "model",
    "serial_number",
    "cost",
    "currency",
    "funder_project",
    "delivery_date",
    "place",
    "notes",
)


def format_inventory_number(value: int) -> str:
    return f"{value:06d}"


def reserve_inventory_numbers(*, organization, count: int) -> list[str]:
    """``count`` new inventory numbers of the organization's sequence, skipping numbers given by hand meanwhile
    (one query to reserve, one to find the taken ones). Inside the caller's transaction."""
    if count <= 0:
        return []
    with transaction.atomic():
        sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
            organization=organization, key=NUMBER_SEQUENCE
        )
        start = sequence.last_value + 1
        wanted = count
        while True:
            candidates = [format_inventory_number(n) for n in range(start, start + wanted)]
            taken = set(
                Equipment.objects.filter(
                    organization=organization, inventory_number__in=candidates
                ).values_list("inventory_number", flat=True)
            )
            free = [number for number in candidates if number not in taken]
            if len(free) >= count:
                break
            wanted += len(taken)
        last = int(free[count - 1])
        NumberSequence.objects.filter(pk=sequence.pk, organization=organization).update(last_value=last)
        return free[:count]


def clean_funder_project(value) -> Organization | None:
    """The funder project named by an organization or its id; refused unless it is a funder project."""
    if value in (None, ""):
        return None
    project = value
    if not isinstance(value, Organization):
        project = Organization.objects.filter(pk=value).first() if str(value).isdigit() else None
    if project is None or project.kind != OrganizationKind.FUNDER_PROJECT:
        raise DomainError(_("Choose a funder project."), code="not_funder_project", field="funder_project")
    return project


def _clean(organization, values: dict) -> dict:
    """Check and normalize an equipment's fields (a partial dict on update); raises DomainError naming the field."""
    cleaned = dict(values)
    if "type" in cleaned and cleaned["type"] not in EquipmentType.values:
        raise DomainError(_("Choose the type of equipment."), code="bad_type", field="type")
    if "model" in cleaned:
        cleaned["model"] = " ".join(str(cleaned["model"] or "").split())[:200]
        if not cleaned["model"]:
            raise DomainError(_("Write the make and model."), code="model_required", field="model")
    for name in ("serial_number", "inventory_number", "place"):
        if name in cleaned:
            cleaned[name] = " ".join(str(cleaned[name] or "").split())
    if cleaned.get("cost") not in (None, ""):
        with field_rule("cost"):
            cleaned["cost"] = check_amount(cleaned["cost"], allow_zero=True)
    elif "cost" in cleaned:
        cleaned["cost"] = None
    if "currency" in cleaned:
        cleaned["currency"] = str(cleaned["currency"] or "").upper()
        if cleaned["currency"] and cleaned["currency"] not in EquipmentCurrency.values:
            raise DomainError(_("Choose a currency."), code="bad_currency", field="currency")
    if cleaned.get("delivery_date") not in (None, ""):
        with field_rule("delivery_date"):
            cleaned["delivery_date"] = check_date(cleaned["delivery_date"], latest=local_today(organization))
    elif "delivery_date" in cleaned:
        cleaned["delivery_date"] = None
    if "funder_project" in cleaned:
        cleaned["funder_project"] = clean_funder_project(cleaned["funder_project"])
    return cleaned


def _check_cost_currency(equipment: Equipment) -> None:
    if equipment.cost is not None and not equipment.currency:
        raise DomainError(_("Say in which currency the cost is."), code="currency_required", field="currency")


def _check_unique(equipment: Equipment) -> None:
    others = Equipment.objects.filter(organization=equipment.organization_id).exclude(pk=equipment.pk)
    if equipment.serial_number and others.filter(serial_number=equipment.serial_number).exists():
        raise DomainError(
            _("Your organization already has equipment with the serial number %(serial)s.")
            % {"serial": equipment.serial_number},
            code="serial_taken",
            field="serial_number",
        )
    if equipment.inventory_number and others.filter(inventory_number=equipment.inventory_number).exists():
        raise DomainError(
            _("The inventory number %(number)s is taken.") % {"number": equipment.inventory_number},
            code="number_taken",
            field="inventory_number",
        )


def _save(equipment: Equipment, **kwargs) -> None:
    try:
        with transaction.atomic():
            equipment.save(**kwargs)
    except IntegrityError as error:  # a number or serial taken by a concurrent write
        raise DomainError(
            _("An inventory number or serial number was taken meanwhile. Try again."), code="number_taken"
        ) from error


@transaction.atomic
def equipment_create(
    *,
    actor,
    organization,
    type: str,
    model: str,
    serial_number: str = "",
    cost=None,
    currency: str = "",
    funder_project=None,
    delivery_date: datetime.date | str | None = None,
    place: str = "",
    notes: str = "",
    inventory_number: str = "",
    status: str = EquipmentStatus.IN_USE,
    permission: str = PERMISSION,
) -> Equipment:
    """Register a unit of equipment of ``organization``; its inventory number comes from the organization's
    sequence unless given. ``permission`` lets another app's service (field work's vehicles) check its own.

    Raises DomainError: a field refused (naming it), a serial number or inventory number already used.
    """
    require_permission(actor, organization, permission)
    if status not in (EquipmentStatus.IN_USE, EquipmentStatus.BROKEN, EquipmentStatus.IN_REPAIR):
        raise DomainError(
            _("New equipment is in use, broken or in repair."), code="bad_status", field="status"
        )
    fields = _clean(
        organization,
        {
            "type": type,
            "model": model,
            "serial_number": serial_number,
            "cost": cost,
            "currency": currency,
            "funder_project": funder_project,
            "delivery_date": delivery_date,
            "place": place,
            "inventory_number": inventory_number,
        },
    )
    equipment = Equipment(organization=organization, status=status, notes=str(notes or ""), **fields)
    _check_cost_currency(equipment)
    _check_unique(equipment)
    if not equipment.inventory_number:
        equipment.inventory_number = reserve_inventory_numbers(organization=organization, count=1)[0]
    equipment._history_user = actor
    _save(equipment)
    return equipment


@transaction.atomic
def equipment_update(*, actor, equipment: Equipment, permission: str = PERMISSION, **values) -> Equipment:
    """Change the editable fields (``EDITABLE_FIELDS``) of a unit; never its organization nor its status.

    A written-off unit is not edited any more (its record is kept as it was)."""
    organization = equipment.organization
    require_permission(actor, organization, permission)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Equipment.objects.select_for_update().get(pk=equipment.pk, organization=organization)
    if locked.is_written_off:
        raise DomainError(_("This equipment is written off: it is not edited any more."), code="written_off")
    fields = _clean(organization, values)
    if "inventory_number" in fields and not fields["inventory_number"]:
        raise DomainError(
            _("Write the inventory number."), code="inventory_number_required", field="inventory_number"
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_cost_currency(locked)
    _check_unique(locked)
    locked._history_user = actor
    _save(locked, update_fields=sorted(fields))
    equipment.refresh_from_db()
    return locked


# Which status may follow which: a written-off unit never comes back.
TRANSITIONS = {
    EquipmentStatus.IN_USE: {EquipmentStatus.BROKEN, EquipmentStatus.IN_REPAIR, EquipmentStatus.WRITTEN_OFF},
    EquipmentStatus.BROKEN: {EquipmentStatus.IN_USE, EquipmentStatus.IN_REPAIR, EquipmentStatus.WRITTEN_OFF},
    EquipmentStatus.IN_REPAIR: {EquipmentStatus.IN_USE, EquipmentStatus.BROKEN, EquipmentStatus.WRITTEN_OFF},
    EquipmentStatus.WRITTEN_OFF: set(),
}


@transaction.atomic
def equipment_status_change(
    *, actor, equipment: Equipment, status: str, reason: str, permission: str = PERMISSION
) -> EquipmentStatusChange:
    """Change a unit's status with the reason, kept as an :class:`EquipmentStatusChange` (who, when, why) and in the
    equipment's history. Raises DomainError: no reason, the same status, or a written-off unit (final)."""
    organization = equipment.organization
    require_permission(actor, organization, permission)
    if status not in EquipmentStatus.values:
        raise DomainError(_("Choose a status."), code="bad_status", field="status")
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the status changes."), code="reason_required", field="reason")
    locked = Equipment.objects.select_for_update().get(pk=equipment.pk, organization=organization)
    if locked.status == status:
        raise DomainError(_("The equipment already has this status."), code="same_status")
    if locked.is_written_off:
        raise DomainError(
            _("This equipment is written off: its status does not change any more."), code="written_off"
        )
    if status not in TRANSITIONS[locked.status]:
        raise DomainError(_("This status cannot follow the current one."), code="illegal_transition")
    change = EquipmentStatusChange(
        organization=organization,
        equipment=locked,
        from_status=locked.status,
        to_status=status,
        reason=reason,
        changed_by=actor,
        changed_at=timezone.now(),
    )
    change._history_user = actor
    change.save()
    locked.status = status
    locked._history_user = actor
    locked.save(update_fields=["status"])
    equipment.status = status
    return change


# --- Handover acts ----------------------------------------------------------------------------------------------


@transaction.atomic
def handover_act_create(
    *,
    actor,
    organization,
    date: datetime.date | str,
    handed_over_by_name: str,
    received_by_name: str,
    items,
    number: str = "",
    funder_project=None,
    handed_over_by_position: str = "",
    received_by_position: str = "",
    notes: str = "",
) -> HandoverAct:
    """Draw up the act by which ``items`` (equipment of ``organization``, the receiver, on no other act) were handed
    over. The number comes from the organization's sequence unless given.

    Raises DomainError: no items, an item of another act (or not found), a date, name or number refused."""
    require_permission(actor, organization, PERMISSION)
    with field_rule("date"):
        date = check_date(date, latest=local_today(organization))
    handed_over_by_name = " ".join(str(handed_over_by_name or "").split())
    received_by_name = " ".join(str(received_by_name or "").split())
    if not handed_over_by_name:
        raise DomainError(
            _("Who handed the equipment over?"), code="name_required", field="handed_over_by_name"
        )
    if not received_by_name:
        raise DomainError(_("Who received the equipment?"), code="name_required", field="received_by_name")
    ids = sorted({getattr(item, "pk", item) for item in items or []})
    if not ids:
        raise DomainError(_("Choose the equipment handed over."), code="no_items", field="items")
    locked = list(
        Equipment.objects.select_for_update().filter(organization=organization, pk__in=ids).order_by("pk")
    )
    if len(locked) != len(ids):
        raise DomainError(_("Choose equipment of your organization."), code="bad_items", field="items")
    if any(item.handover_act_id for item in locked):
        raise DomainError(
            _("Some of this equipment is on another handover act already."),
            code="items_on_act",
            field="items",
        )
    number = " ".join(str(number or "").split())
    if number and HandoverAct.objects.filter(organization=organization, number=number).exists():
        raise DomainError(
            _("The act number %(number)s is taken.") % {"number": number}, code="number_taken", field="number"
        )
    if not number:
        number = str(next_number(organization=organization, key=ACT_SEQUENCE))
        while HandoverAct.objects.filter(organization=organization, number=number).exists():
            number = str(next_number(organization=organization, key=ACT_SEQUENCE))
    act = HandoverAct(
        organization=organization,
        number=number,
        date=date,
        funder_project=clean_funder_project(funder_project),
        handed_over_by_name=handed_over_by_name[:150],
        handed_over_by_position=" ".join(str(handed_over_by_position or "").split())[:150],
        received_by_name=received_by_name[:150],
        received_by_position=" ".join(str(received_by_position or "").split())[:150],
        notes=str(notes or ""),
        created_by=actor,
    )
    act._history_user = actor
    act.save()
    for item in locked:
        item.handover_act = act
        item._history_user = actor
        item.save(update_fields=["handover_act"])
    return act
