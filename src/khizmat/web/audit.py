"""The audit trail of one organization, read from django-simple-history's tables.

Tenant-owned models are read by their ``organization`` column; the organization's own record and the users who
are its members are included too. Bulk jobs record themselves as one audited run (see docs/architecture.md).
"""

from dataclasses import dataclass
from heapq import merge
from itertools import islice

from django.apps import apps
from django.db.models import Model

from khizmat.api.models import ApiToken
from khizmat.core.masking import mask
from khizmat.tenancy.models import Membership, Organization, User
from khizmat.tenancy.privacy import personal_field_kind
from khizmat.tenancy.scoping import TenantModel, scopes_disabled

# Models without an audit trail of their own, with the reason (a meta-test fails on any other model without one).
WITHOUT_HISTORY: dict[str, str] = {
    "tenancy.NumberSequence": "a counter; the rows it numbers carry their own history",
    "billing.Invoice": "immutable, written set-based by a billing run, which carries the history",
    "billing.LedgerEntry": "append-only: every entry is itself the record of a change, with its document",
    "billing.AccountMonth": "derived from the ledger (sums per account and month), rebuilt from it at will",
    "billing.MonthTotal": "derived from the ledger (sums per organization and month), rebuilt from it at will",
    "billing.PaymentRequest": "the claim of an idempotency key; the payment it produced carries the history",
    "fieldwork.DriverEvent": "append-only: each driver's mark is itself the record, with who sent it and when",
    "documents.GeneratedDocument": "itself the record of who asked for which document when; it changes no data",
    "monitoring.MeasureValue": "derived figures, recomputed from the raw data",
    "monitoring.KpiTouch": "derived figures, recomputed from the raw data",
    "tenancy.PersonalDataAccess": "append-only: each row is itself the record of who saw full personal data",
    "tenancy.RetentionRun": "itself the audit record of one run of the retention command, with its counts",
    "trainings.EventParticipation": "the event's history records its participating organizations (m2m_fields)",
}


@dataclass
class AuditEntry:
    record: Model
    model_label: str
    model_name: str
    changes: list[tuple[str, str, str]]
    label: str

    @property
    def date(self):
        return self.record.history_date


def audited_models() -> list[type[Model]]:
    """Models whose changes an organization's auditors read: tenant models with history, plus org, user and the
    members' API tokens (made, revoked)."""
    models = [m for m in apps.get_models() if issubclass(m, TenantModel) and hasattr(m, "history")]
    return [*models, Organization, User, ApiToken]


def _history_for(model, organization: Organization):
    history = model.history.model.objects.all()
    if issubclass(model, TenantModel):
        return history.filter(organization_id=organization.pk)
    if model is Organization:
        return history.filter(id=organization.pk)
    with scopes_disabled():
        member_ids = list(
            Membership.objects.filter(organization=organization).values_list("user_id", flat=True)
        )
    if model is ApiToken:
        return history.filter(user_id__in=member_ids)
    return history.filter(id__in=member_ids)


def _foreign_keys(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation and f.many_to_one]


def _label(record) -> str:
    """The row as it was, named by its own ``__str__``, built from the history row alone.

    simple-history's ``record.instance`` reloads excluded fields from the live table (a query per row); the label
    needs none of them, and related rows come from the joined query.
    """
    model = record.instance_type
    instance = model(
        **{
            field.attname: getattr(record, field.attname)
            for field in model._meta.concrete_fields
            if hasattr(record, field.attname)
        }
    )
    for name in _foreign_keys(model):
        field = record._meta.get_field(name)
        if field.is_cached(record):
            model._meta.get_field(name).set_cached_value(instance, field.get_cached_value(record))
    return str(instance)


def _changes(record) -> list[tuple[str, str, str]]:
    if record.history_type != "~":
        return []
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    result = []
    for change in delta.changes:
        field = record.instance_type._meta.get_field(change.field)
        kind = personal_field_kind(record.instance_type, change.field)
        old, new = (mask(kind, change.old), mask(kind, change.new)) if kind else (change.old, change.new)
        result.append((str(field.verbose_name), _display(field, old), _display(field, new)))
    return result


def _display(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def audit_entry_list(
    *, organization: Organization, model_label: str = "", limit: int = 100
) -> list[AuditEntry]:
    streams = []
    for model in audited_models():
        if model_label and model._meta.label != model_label:
            continue
        records = (
            _history_for(model, organization)
            .select_related("history_user", *_foreign_keys(model))
            .order_by("-history_date")[:limit]
        )
        streams.append([(record, model) for record in records])
    newest = islice(merge(*streams, key=lambda pair: pair[0].history_date, reverse=True), limit)
    return [
        AuditEntry(
            record=record,
            model_label=model._meta.label,
            model_name=str(model._meta.verbose_name),
            changes=_changes(record),
            label=_label(record),
        )
        for record, model in newest
    ]
