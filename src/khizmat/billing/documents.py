"""Billing's documents made in the background (``khizmat.documents``): the Excel exports and the debtor notices.

Each kind checks its parameters in ``clean`` (before anything is queued, so the page and the API refuse bad input at
once with a translated reason) and builds its file in the task, in the language of whoever asked for it.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khizmat.billing import exports, selectors
from khizmat.billing.models import BillingPeriod
from khizmat.core.errors import DomainError
from khizmat.core.pdf import render_pdf
from khizmat.documents.registry import Built, DocumentKind, register
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.privacy import full_personal_data_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Notices rendered into one PDF at most; narrow the filter (street, age) for more.
NOTICES_PER_PDF = 300
PERMISSION = "billing.reports"


def _date(params: dict, name: str, default: datetime.date) -> datetime.date:
    value = str(params.get(name) or "").strip()
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise DomainError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31.") % {"value": value[:20]},
            code="bad_date",
        ) from error


def _today(organization) -> datetime.date:
    return local_today(organization)


# --- Subscribers --------------------------------------------------------------------------------------------------


def _no_params(organization, params: dict) -> dict:
    return {}


def _subscribers(organization, params: dict, progress) -> Built:
    return Built(
        exports.subscribers_xlsx(organization, full=bool(params.get("full_personal_data"))),
        f"{organization.code}-subscribers-{_today(organization):%Y-%m-%d}.xlsx",
        XLSX,
    )


# --- Invoices of a period -----------------------------------------------------------------------------------------


def _clean_invoices(organization, params: dict) -> dict:
    wanted = str(params.get("period") or "").strip()
    periods = BillingPeriod.objects.for_organization(organization)
    if not wanted:
        period = periods.order_by("-month").first()
        return {"period": period.pk if period else None}
    if not wanted.isdigit() or not periods.filter(pk=int(wanted)).exists():
        raise DomainError(_("Choose a billing period of your organization."), code="bad_period")
    return {"period": int(wanted)}


def _invoices(organization, params: dict, progress) -> Built:
    period = BillingPeriod.objects.for_organization(organization).filter(pk=params.get("period")).first()
    month = f"{period.month:%Y-%m}" if period else "none"
    return Built(
        exports.invoices_xlsx(organization, period),
        f"{organization.code}-invoices-{month}-{_today(organization):%Y-%m-%d}.xlsx",
        XLSX,
    )


# --- Payments of a date range -------------------------------------------------------------------------------------


def _clean_payments(organization, params: dict) -> dict:
    today = _today(organization)
    date_from = _date(params, "from", today.replace(day=1))
    date_to = _date(params, "to", today)
    if date_to < date_from:
        raise DomainError(_("The end date is before the start date."), code="bad_dates")
    return {"from": date_from.isoformat(), "to": date_to.isoformat()}


def _payments(organization, params: dict, progress) -> Built:
    date_from, date_to = (datetime.date.fromisoformat(params[name]) for name in ("from", "to"))
    return Built(
        exports.payments_xlsx(organization, date_from, date_to),
        f"{organization.code}-payments-{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}.xlsx",
        XLSX,
    )


# --- Arrears ------------------------------------------------------------------------------------------------------


def _clean_arrears(organization, params: dict) -> dict:
    return {"as_of": _date(params, "as_of", _today(organization)).isoformat()}


def _arrears(organization, params: dict, progress) -> Built:
    as_of = datetime.date.fromisoformat(params["as_of"])
    return Built(
        exports.arrears_xlsx(organization, as_of, full=bool(params.get("full_personal_data"))),
        f"{organization.code}-arrears-{as_of:%Y-%m-%d}.xlsx",
        XLSX,
    )


# --- Debtor notices -----------------------------------------------------------------------------------------------


def debtor_filters(params: dict) -> dict:
    """The debtors page's filters (settlement, street, smallest debt, age of debt) as selector arguments; anything
    unreadable is left out, as the page does."""
    filters: dict = {}
    if str(params.get("settlement") or "").isdigit():
        filters["settlement_id"] = int(params["settlement"])
    if str(params.get("street") or "").strip():
        filters["street"] = str(params["street"]).strip()[:150]
    try:
        minimum = Decimal(str(params.get("min_balance") or "0").replace(",", "."))
        if minimum.is_finite() and minimum > 0:
            filters["min_balance"] = minimum
    except InvalidOperation:
        pass
    if str(params.get("age")) in ("31", "61", "91"):
        filters["min_age_days"] = int(params["age"])
    return filters


def _clean_notices(organization, params: dict) -> dict:
    filters = debtor_filters(params)
    if "min_balance" in filters:
        filters["min_balance"] = str(filters["min_balance"])
    if "settlement_id" in filters:
        filters["settlement"] = filters.pop("settlement_id")
    if "min_age_days" in filters:
        filters["age"] = filters.pop("min_age_days")
    return filters


def _notices(organization, params: dict, progress) -> Built:
    debtors = selectors.debtor_list(
        organization=organization, limit=NOTICES_PER_PDF, **debtor_filters(params)
    )
    today = _today(organization)
    notices = []
    for number, debtor in enumerate(debtors, start=1):
        with translation.override(debtor.subscriber.language or translation.get_language()):
            notices.append(
                render_to_string(
                    "billing/partials/debtor_notice.html",
                    {"debtor": debtor, "organization": organization, "today": today},
                )
            )
        progress(0.5 * number / max(len(debtors), 1))  # rendering the PDF is the other half
    pdf = render_pdf("billing/debtor_notices.html", {"notices": notices, "organization": organization})
    return Built(pdf, f"notices-{organization.code}-{today}.pdf", "application/pdf")


KINDS = [
    # ID numbers and phones are masked unless the asking role may see them in full (decided when asked).
    DocumentKind(
        "billing.subscribers",
        gettext_lazy("Subscribers (Excel)"),
        PERMISSION,
        _subscribers,
        _no_params,
        scope=full_personal_data_scope,
    ),
    DocumentKind(
        "billing.invoices",
        gettext_lazy("Invoices of a month (Excel)"),
        PERMISSION,
        _invoices,
        _clean_invoices,
    ),
    DocumentKind(
        "billing.payments", gettext_lazy("Payments (Excel)"), PERMISSION, _payments, _clean_payments
    ),
    DocumentKind(
        "billing.arrears",
        gettext_lazy("Arrears by age (Excel)"),
        PERMISSION,
        _arrears,
        _clean_arrears,
        scope=full_personal_data_scope,
    ),
    DocumentKind(
        "billing.debtor_notices", gettext_lazy("Debtor notices (PDF)"), PERMISSION, _notices, _clean_notices
    ),
]
for _kind in KINDS:
    register(_kind)
