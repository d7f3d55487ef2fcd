"""Who sees full personal data, the log of each full view, and the retention of citizens' data.

- :func:`may_see_full`: the one answer to "may this membership see full ID numbers and phones?" (the
  ``personal_data.full`` permission of khizmat.tenancy.roles). Lists and exports mask regardless.
- :func:`record_access`: one INSERT into :class:`PersonalDataAccess` per full view of a record.
- :func:`register_retention` / :func:`anonymize`: each app declares which of its tables hold citizens' personal data,
  which rows are closed and how old they are; ``khizmat anonymize_personal_data`` blanks them, and the copies in their
  django-simple-history tables, with one UPDATE per table (no row is loaded into Python).
"""

import datetime
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from khizmat.core.clientip import client_ip
from khizmat.core.fieldrules import phone_candidates
from khizmat.tenancy.models import PersonalDataAccess, RetentionRun
from khizmat.tenancy.scoping import scopes_disabled

FULL_PERMISSION = "personal_data.full"


def may_see_full(membership) -> bool:
    return membership is not None and membership.has_permission(FULL_PERMISSION)


def full_personal_data_scope(membership) -> dict:
    """A document kind's ``scope``: whether the export may carry full ID numbers and phones, decided on the server
    from the asking role when the document is asked for and stored with it."""
    return {"full_personal_data": may_see_full(membership)}


def record_access(request, record, *, view: str, label: str = "") -> PersonalDataAccess:
    """Log that ``request.user`` saw ``record``'s full personal data (one INSERT, nothing read)."""
    return PersonalDataAccess.objects.create(
        organization_id=record.organization_id,
        user_id=request.user.pk,
        at=timezone.now(),
        record_type=record._meta.label_lower,
        record_id=record.pk,
        record_label=str(label or getattr(record, "number", "") or record.pk)[:60],
        view=view[:80],
        address=client_ip(request) or None,
    )


def view_name(request) -> str:
    """The URL name of the request (``services:application_detail``, ``api:application-detail``)."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match else "") or request.path[:80]


# --- Which fields hold personal data --------------------------------------------------------------------------------

# ``"services.application" -> {"applicant_id_number": "id_number", "applicant_phone": "phone"}``: the fields that
# identify a person, with their kind of mask (khizmat.core.masking). Read by the access log's person filter and by
# the audit trail, which masks them.
PERSONAL_FIELDS: dict[str, dict[str, str]] = {}


def register_personal_fields(model, fields: dict[str, str]) -> None:
    """Declare a model's personal ID number, phone and e-mail fields (from the app's ``AppConfig.ready``)."""
    PERSONAL_FIELDS[model._meta.label_lower] = dict(fields)


def personal_field_kind(model, name: str) -> str | None:
    return PERSONAL_FIELDS.get(model._meta.label_lower, {}).get(name)


def records_of_person(*, organization, value: str) -> Q:
    """A filter on :class:`PersonalDataAccess` for the records whose ID number, phone or e-mail is ``value`` (a
    phone in any usual form, an ID number with or without spaces). One query per registered model."""
    from django.apps import apps

    value = value.strip()
    condition = Q(pk__in=[])
    if not value:
        return condition
    forms = {value, value.replace(" ", "").replace("-", ""), *phone_candidates(value)}
    for label, fields in PERSONAL_FIELDS.items():
        model = apps.get_model(label)
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__in": sorted(forms)})
        ids = list(model.objects.filter(match, organization=organization).values_list("pk", flat=True)[:1000])
        if ids:
            condition |= Q(record_type=label, record_id__in=ids)
    return condition


# --- Retention -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRule:
    """A table with citizens' personal data: ``closed`` selects rows that are finished, ``age_field`` is the time
    the retention period runs from, ``scrub`` maps each personal field to its anonymized value."""

    model: type[models.Model]
    age_field: str
    closed: Q
    scrub: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.model._meta.label

    def eligible(self, cutoff: datetime.datetime):
        return self.model.objects.filter(self.closed, **{f"{self.age_field}__lt": cutoff})

    def not_yet_scrubbed(self) -> Q:
        condition = Q()
        for name, value in self.scrub.items():
            condition |= ~Q(**{name: value})
        return condition


RETENTION_RULES: list[RetentionRule] = []


def register_retention(model, *, age_field: str, closed: Q, scrub: dict[str, object]) -> None:
    """Declare a table of citizens' personal data (from the app's ``AppConfig.ready``)."""
    if any(rule.model is model for rule in RETENTION_RULES):
        return
    RETENTION_RULES.append(RetentionRule(model=model, age_field=age_field, closed=closed, scrub=scrub))


def _history_scrub(rule: RetentionRule) -> dict[str, object]:
    history = rule.model.history.model
    names = {f.name for f in history._meta.concrete_fields}
    return {name: value for name, value in rule.scrub.items() if name in names}


def anonymize(*, retention_days: int, dry_run: bool = False, now=None) -> dict[str, int]:
    """Blank the personal fields of every closed row older than ``retention_days`` and of its history rows.

    One UPDATE per table (and one per history table), each touching only rows not yet blank, so a second run
    changes nothing. Returns the number of rows per table (``<app>.<Model>`` and ``<app>.<Model> history``); with
    ``dry_run`` the counts of rows that would change, and nothing is written. A real run records a
    :class:`RetentionRun` with the counts.
    """
    started = now or timezone.now()
    cutoff = started - datetime.timedelta(days=retention_days)
    counts: dict[str, int] = {}
    with scopes_disabled():
        for rule in RETENTION_RULES:
            # One transaction per table and its history: a record and its copies change together, and no lock is
            # held over the whole run (a failed run is safe to repeat: it picks up what is left).
            with transaction.atomic():
                counts.update(_anonymize_table(rule, cutoff=cutoff, dry_run=dry_run))
        if not dry_run:
            RetentionRun.objects.create(
                started_at=started,
                finished_at=timezone.now(),
                cutoff=cutoff,
                retention_days=retention_days,
                counts=counts,
            )
    return counts


def _anonymize_table(rule: RetentionRule, *, cutoff, dry_run: bool) -> dict[str, int]:
    eligible = rule.eligible(cutoff)
    rows = eligible.filter(rule.not_yet_scrubbed())
    counts = {rule.label: rows.count() if dry_run else rows.update(**rule.scrub)}
    history_fields = _history_scrub(rule)
    if history_fields:
        condition = Q()
        for name, value in history_fields.items():
            condition |= ~Q(**{name: value})
        history = rule.model.history.model.objects.filter(condition, id__in=eligible.values("pk"))
        counts[f"{rule.label} history"] = history.count() if dry_run else history.update(**history_fields)
    return counts
