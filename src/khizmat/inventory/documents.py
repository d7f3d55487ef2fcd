"""The inventory's documents made in the background (``khizmat.documents``): the handover act as a PDF.

The act is printed in the RECEIVING organization's language, whoever asks for it (a funder's officer in English
reads a centre's act in Uzbek, as it was signed): organizations keep no language, so it follows the country
(``selectors.organization_language``: uz in Uzbekistan, ky in Kyrgyzstan).
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khizmat.core.errors import DomainError
from khizmat.core.pdf import render_pdf
from khizmat.documents.registry import Built, DocumentKind, register
from khizmat.inventory import selectors
from khizmat.inventory.models import HandoverAct

PERMISSION = "inventory.view"
HANDOVER_ACT = "inventory.handover_act"


def _clean_act(organization, params: dict) -> dict:
    wanted = str(params.get("act") or "").strip()
    if (
        not wanted.isdigit()
        or not HandoverAct.objects.filter(organization=organization, pk=int(wanted)).exists()
    ):
        raise DomainError(_("Choose a handover act of your organization."), code="bad_act")
    return {"act": int(wanted)}


def handover_act_pdf(act: HandoverAct) -> bytes:
    """The act as a PDF in the receiving organization's language."""
    organization = act.organization
    language = selectors.organization_language(organization)
    with translation.override(language):
        return render_pdf(
            "inventory/handover_act_pdf.html",
            {
                "act": act,
                "organization": organization,
                "items": list(selectors.handover_act_items(act=act)),
                "totals": selectors.handover_act_totals(act=act),
                "LANGUAGE_CODE": language,
            },
        )


def _act(organization, params: dict, progress) -> Built:
    act = HandoverAct.objects.select_related("organization__country", "funder_project").get(
        organization=organization, pk=params["act"]
    )
    name = "handover-act-" + "".join(c if c.isalnum() else "-" for c in act.number) + ".pdf"
    return Built(handover_act_pdf(act), name, "application/pdf")


register(DocumentKind(HANDOVER_ACT, gettext_lazy("Handover act (PDF)"), PERMISSION, _act, _clean_act))
