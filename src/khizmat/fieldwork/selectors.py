"""Read-side queries of field work. Every query filters by organization explicitly."""

from dataclasses import dataclass, field

from khizmat.core.search import search_key
from khizmat.fieldwork.models import PickupDay


@dataclass
class StreetPickups:
    """One line of the public schedule: a street (or a whole settlement) and when the truck comes."""

    settlement: str
    street: str
    days: list[PickupDay] = field(default_factory=list)


def pickup_schedule(*, organization, query: str = "") -> list[StreetPickups]:
    """The weekly schedule by settlement and street; ``query`` keeps the streets or settlements whose name contains
    each of its words (any script or spelling, as the other searches)."""
    days = (
        PickupDay.objects.filter(organization=organization)
        .select_related("settlement")
        .order_by("settlement__name", "street", "weekday", "shift")
    )
    words = [key for key in (search_key(word) for word in query.split()) if key]
    lines: dict[tuple[int, str], StreetPickups] = {}
    for day in days:
        key = (day.settlement_id, day.street)
        if key not in lines:
            if words:
                text = f"{search_key(day.street)} {day.settlement.search_key}"
                if not all(word in text for word in words):
                    continue
            lines[key] = StreetPickups(settlement=str(day.settlement), street=day.street)
        lines[key].days.append(day)
    return list(lines.values())
