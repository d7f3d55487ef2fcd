"""The acts of completed work waiting on the home page (see ``khizmat.core.navigation.register_waiting``)."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from khizmat.contracts import selectors
from khizmat.core.navigation import Waiting, WaitingSource, register_waiting


def _act_label(text: str, act) -> str:
    return text % {"number": act.number, "month": formats.date_format(act.month, "YEAR_MONTH_FORMAT")}


def acts_to_answer(membership) -> list[Waiting]:
    return [
        Waiting(
            _act_label(_("Act № %(number)s for %(month)s is disputed: answer the disputed lines."), act),
            reverse("contracts:act_detail", args=[act.pk]),
        )
        for act in selectors.acts_to_answer(membership=membership)
    ]


def acts_to_accept(membership) -> list[Waiting]:
    return [
        Waiting(
            _act_label(_("Act № %(number)s for %(month)s waits for your acceptance."), act),
            reverse("contracts:act_detail", args=[act.pk]),
        )
        for act in selectors.acts_to_accept(membership=membership)
    ]


def register_waiting_work() -> None:
    register_waiting(WaitingSource("contracts.manage", acts_to_answer, order=30))
    register_waiting(WaitingSource("contracts.sign", acts_to_accept, order=31))
