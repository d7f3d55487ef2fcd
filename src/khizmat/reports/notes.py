"""Notes the system writes on a report (merged, forwarded, the citizen's answer) are stored as a code and its
parameters, not as text: each reader (the public page, Open311, the SMS in the citizen's language, staff) sees them
in their own language. Free text typed by staff or the citizen stays in ``public_note`` and follows the system's
sentence. Rows written before the codes existed have no code and keep their text.
"""

from django.utils.translation import gettext_lazy as _

MERGED = "merged"
FORWARDED = "forwarded"
CITIZEN_SOLVED = "citizen_solved"
CITIZEN_NOT_SOLVED = "citizen_not_solved"

SENTENCES = {
    MERGED: _("Handled together with report %(number)s."),
    FORWARDED: _("Forwarded to %(organization)s as report %(number)s."),
    CITIZEN_SOLVED: _("The citizen confirmed the problem is solved."),
    CITIZEN_NOT_SOLVED: _("The citizen says the problem is not solved."),
}


def _organization_name(params: dict, names: dict | None) -> str:
    """The organization's name in the active language (names are translated), or the name stored when the note
    was written if the organization is gone. ``names`` caches lookups across the rows of one answer."""
    from khizmat.tenancy.models import Organization

    pk = params.get("organization_id")
    if pk is None:
        return params.get("organization", "")
    cache = names if names is not None else {}
    if pk not in cache:
        cache[pk] = Organization.objects.filter(pk=pk).first()
    organization = cache[pk]
    return str(organization) if organization is not None else params.get("organization", "")


def render_note(code: str, params: dict | None, text: str, *, names: dict | None = None) -> str:
    """The note in the active language: the system's sentence for ``code`` (if any), then the free ``text``."""
    sentence = SENTENCES.get(code or "")
    if sentence is None:
        return text or ""
    params = dict(params or {})
    if code == FORWARDED:
        params["organization"] = _organization_name(params, names)
    try:
        rendered = str(sentence) % params
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder shows the bare sentence
        rendered = str(sentence)
    return f"{rendered} {text or ''}".strip()
