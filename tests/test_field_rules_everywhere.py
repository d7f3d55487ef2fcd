"""Field rules hold through every writer: web forms, the API, Excel imports, the public portals and Open311.

Discovery is generic: every form class in an app's ``forms*.py`` modules, every write operation of the OpenAPI
schema, every importer module (``imports.py``, ``statements.py``) and the Open311 POST are read for fields named like
a phone number, a personal ID number, a money amount or a date. Each (writer, field) needs a case below, or a reason
in ``NOT_WRITERS`` — so a new module's form or endpoint fails here until its rules are shown to hold.

A case writes each bad value (nothing may be stored) and a good value in the local form people use (it must be stored
normalized: phones in E.164, ID numbers without spaces, amounts with two places). The rules themselves live in the
services (``core/fieldrules.py``, docs/architecture.md "Field rules live in services").
"""

import datetime
import importlib
import io
import itertools
import pkgutil
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from khizmat.api.tests.factories import token_key
from khizmat.billing.models import BillingRun, Payment, Subscriber, Tariff
from khizmat.billing.tests.factories import (
    CashDeskFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    TariffFactory,
)
from khizmat.contracts.models import Contract, WorkItem
from khizmat.contracts.tests.factories import ContractFactory
from khizmat.feedback.links import application_token
from khizmat.feedback.models import FeedbackCase
from khizmat.fieldwork.models import CrewMember, FuelRecord, MaintenanceRule, Vehicle, VehicleService
from khizmat.fieldwork.tests.factories import VehicleFactory
from khizmat.inventory.models import Equipment, HandoverAct
from khizmat.reports.models import Report
from khizmat.reports.tests.factories import Open311ClientFactory, ReportTypeFactory, ServiceAreaFactory
from khizmat.services.models import Application, Service
from khizmat.services.tests.factories import VALID_KG_INN, VALID_PINFL, ApplicationFactory, ServiceFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.models import Oversight, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory, SettlementFactory
from khizmat.trainings.models import Event, Participant
from khizmat.trainings.tests.factories import EventFactory, ParticipantFactory, xlsx_bytes

# --- The rules, by the field's name and kind -----------------------------------------------------------------------


def rule_of(name: str, kind: str) -> str | None:
    """Which rule a field obeys: ``phone``, ``id_number``, ``amount``, ``date`` (or none)."""
    if "phone" in name and name != "phone_prefix":
        return "phone"
    if name.endswith("id_number") or name in ("pinfl", "inn"):
        return "id_number"
    if kind == "decimal" and re.search(r"amount|price|fee|cash", name):
        return "amount"
    if kind == "date":
        return "date"
    return None


BAD = {
    "phone": ["hello", "+7 999 123 45 67"],  # more bad forms: core/tests/test_fieldrules.py
    "id_number": ["not-an-id"],
    "amount": ["-5", "99999999999"],
    "date": ["2224-01-01", "1024-01-01"],
}
GOOD = {  # (as people write it, as it is stored) per country of the organization
    "phone": {"KG": ("0555 12 34 56", "+996555123456"), "UZ": ("901234563", "+998901234563")},
    "id_number": {"KG": ("2150 7199 0001 23", VALID_KG_INN), "UZ": ("3150 7900 1234 52", VALID_PINFL)},
    "amount": {"KG": ("1500.5", Decimal("1500.50")), "UZ": ("1500.5", Decimal("1500.50"))},
    "date": {
        "KG": ("2025-01-01", datetime.date(2025, 1, 1)),
        "UZ": ("2025-01-01", datetime.date(2025, 1, 1)),
    },
}

# --- Discovery -----------------------------------------------------------------------------------------------------


def _app_modules(prefixes: tuple[str, ...]):
    for config in apps.get_app_configs():
        if not config.name.startswith("khizmat."):
            continue
        package = importlib.import_module(config.name)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith(prefixes):
                yield importlib.import_module(f"{config.name}.{info.name}")


def _form_kind(form_field) -> str:
    if isinstance(form_field, forms.DateField):
        return "date"
    if isinstance(form_field, forms.DecimalField):
        return "decimal"
    return "text"


def discover_forms() -> set[tuple[str, str, str]]:
    found = set()
    for module in _app_modules(("forms",)):
        for name, cls in vars(module).items():
            if (
                isinstance(cls, type)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
            ):
                for field_name, form_field in cls.base_fields.items():
                    rule = rule_of(field_name, _form_kind(form_field))
                    if rule:
                        found.add(
                            (f"form:{module.__name__.removeprefix('khizmat.')}.{name}", field_name, rule)
                        )
    return found


def discover_api() -> set[tuple[str, str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch") or "requestBody" not in operation:
                continue
            body = operation["requestBody"]["content"].get("application/json", {}).get("schema", {})
            properties = components[body["$ref"].rsplit("/", 1)[1]]["properties"] if "$ref" in body else {}
            for name, spec in properties.items():
                if spec.get("readOnly"):
                    continue
                kind = {"date": "date", "decimal": "decimal"}.get(spec.get("format"), "text")
                rule = rule_of(name, kind)
                if rule:
                    found.add((f"api:{method.upper()} {path}", name, rule))
    return found


def discover_importers() -> set[tuple[str, str, str]]:
    found = set()
    for module in _app_modules(("imports", "statements")):
        model = (
            getattr(module, "IMPORT_MODEL", None) or getattr(module, "Subscriber", None)
            if hasattr(module, "FIELDS")
            else None
        )
        for import_field in getattr(module, "FIELDS", ()):
            kind = "text"
            if model is not None and import_field.name in {f.name for f in model._meta.fields}:
                internal = model._meta.get_field(import_field.name).get_internal_type()
                kind = {"DateField": "date", "DecimalField": "decimal"}.get(internal, "text")
            rule = rule_of(import_field.name, kind)
            if rule:
                found.add((f"import:{module.__name__.removeprefix('khizmat.')}", import_field.name, rule))
        for name in getattr(module, "LINE_FIELDS", ()):
            rule = rule_of(
                name, "date" if name.endswith("_on") else "decimal" if name == "amount" else "text"
            )
            if rule:
                found.add((f"import:{module.__name__.removeprefix('khizmat.')}", name, rule))
    return found


# Open311 GeoReport v2 POST takes the spec's own parameters (no form, no serializer): its rule fields.
OPEN311_FIELDS = {("open311:POST requests", "phone", "phone")}


def discover() -> set[tuple[str, str, str]]:
    return discover_forms() | discover_api() | discover_importers() | OPEN311_FIELDS


# Fields that look like rule fields but are not a writer's (filters, lookups covered elsewhere) or whose rule is held
# by another module, with the reason.
NOT_WRITERS = {
    ("form:fieldwork.forms.DayForm", "date"): "chooses the day to show; writes nothing",
    ("form:tenancy.forms.PersonalDataAccessFilterForm", "date_from"): "access log filter; writes nothing",
    ("form:tenancy.forms.PersonalDataAccessFilterForm", "date_to"): "access log filter; writes nothing",
    ("form:fieldwork.forms.PerformanceForm", "start"): "report filter; writes nothing",
    ("form:fieldwork.forms.PerformanceForm", "end"): "report filter; writes nothing",
    ("form:fieldwork.forms.PlanForm", "date"): "check_date in plan_request; needs a fleet and a schedule",
    ("form:contracts.forms.WorkRecordForm", "date"): "must lie within the contract's own (checked) dates",
    ("form:contracts.forms.MonthForm", "month"): "the act's month lies within the contract's (checked) dates",
    (
        "form:billing.forms.SubscriberStatusForm",
        "on",
    ): "changes one account: check_date in subscriber_set_status",
    ("form:billing.forms.AdjustmentForm", "amount"): "signed correction, money rules in billing/services.py",
    ("form:billing.forms.ClosingForm", "counted_cash"): "cash count, money rules in billing/services.py",
    ("import:billing.statements", "amount"): "bank statement lines: checked when read (docs/billing.md)",
    ("import:billing.statements", "paid_on"): "bank statement lines: checked when read (docs/billing.md)",
    **{
        (f"form:monitoring.forms.{form}", name): "dashboard and report filters; write nothing"
        for form in ("DashboardFilterForm", "FunderReportForm")
        for name in ("start", "end")
    },
    **dict.fromkeys(
        (
            ("form:monitoring.forms.IndicatorTargetForm", "baseline_date"),
            ("form:monitoring.forms.IndicatorTargetForm", "target_date"),
            ("form:monitoring.forms.IndicatorResultForm", "as_of"),
            ("api:POST /api/v1/monitoring/indicator-targets/", "baseline_date"),
            ("api:POST /api/v1/monitoring/indicator-targets/", "target_date"),
            ("api:POST /api/v1/monitoring/indicator-results/", "as_of"),
        ),
        "a funder project's indicator at a pilot site: check_date in monitoring/services.py, proven"
        " through the page and the API in src/khizmat/monitoring/tests/test_indicators.py",
    ),
    **{
        (f"api:{method} /api/v1/equipment/{{id}}/", "delivery_date"): (
            "updates one unit through equipment_update, the create's check_date (inventory/tests/test_selectors_and_pages.py)"
        )
        for method in ("PUT", "PATCH")
    },
    ("api:PATCH /api/v1/vehicles/{id}/", "delivery_date"): (
        "vehicle_update hands it to equipment_update, the create's check_date (case: POST /api/v1/vehicles/)"
    ),
    ("api:PATCH /api/v1/maintenance-rules/{id}/", "start_date"): (
        "the same maintenance_rule_save as the POST, whose case is below"
    ),
    (
        "api:PATCH /api/v1/crew-members/{id}/",
        "phone",
    ): "the same crew_member_save as the POST, whose case is below",
    ("form:trainings.forms.EventFilterForm", "date_from"): "list filter; writes nothing",
    ("form:trainings.forms.EventFilterForm", "date_to"): "list filter; writes nothing",
}

# --- The writers ---------------------------------------------------------------------------------------------------


@dataclass
class Writer:
    """How to write through one writer: a valid submission, how to send it, the rows it writes, and which attribute
    of the stored row holds each field."""

    country: str
    base: object  # (world) -> dict
    submit: object  # (world, data) -> None
    rows: object  # (world) -> QuerySet
    attrs: dict = field(default_factory=dict)


_counter = itertools.count(1)


class World:
    """The two organizations of the test cast and what the writers need, built on first use."""

    def __init__(self, org_a, org_b, member, client):
        self.uz, self.kg, self.member, self.client = org_a, org_b, member, client
        self._cache = {}
        for organization in (org_a, org_b):  # the staff who write, made before any row is counted
            self.once(("user", organization.pk, Role.ADMIN), lambda o=organization: member(o, Role.ADMIN))

    def once(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def web(self, organization, role=Role.ADMIN):
        user = self.once(("user", organization.pk, role), lambda: self.member(organization, role))
        self.client.force_login(user)
        return self.client

    def api(self, organization, role=Role.ADMIN):
        user = self.once(("user", organization.pk, role), lambda: self.member(organization, role))
        client = APIClient()
        key = self.once(("token", user.pk), lambda: token_key(user))
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    @property
    def settlement(self):
        return self.once(
            "settlement",
            lambda: SettlementFactory(
                district__region=self.kg.region, latitude="41.872000", longitude="72.941000"
            ),
        )

    @property
    def category(self):
        return self.once("category", lambda: SubscriberCategoryFactory(organization=self.kg, code="house"))

    @property
    def service(self):
        return self.once("service", lambda: ServiceFactory(organization=self.uz))

    @property
    def subscriber(self):
        return self.once(
            "subscriber", lambda: SubscriberFactory(organization=self.kg, category=self.category)
        )

    @property
    def desk(self):
        return self.once("desk", lambda: CashDeskFactory(organization=self.kg))

    @property
    def pickup(self):
        return self.once("pickup", lambda: ReportTypeFactory(organization=self.kg, code="missed-pickup"))

    @property
    def vehicle(self):
        return self.once("vehicle", lambda: VehicleFactory(organization=self.kg))

    @property
    def customer(self):
        def build():
            aiyl = OrganizationFactory(kind=OrganizationKind.AIYL_OKMOTU, country=self.kg.country)
            Oversight.objects.create(overseer=aiyl, overseen=self.kg, kind=OversightKind.OWNER)
            return aiyl

        return self.once("customer", build)


def _subscriber_fields(world):
    return {
        "kind": "household",
        "holder_name": f"Asanov Bakyt {next(_counter)}",
        "holder_id_number": "",
        "phone": "",
        "language": "ky",
        "settlement": world.settlement.pk,
        "street": "Lenin",
        "house": str(next(_counter)),
        "apartment": "",
        "category": world.category.pk,
        "residents": 3,
        "units": "1",
        "contract_start": "2024-03-01",
    }


def _vehicle_fields(world):
    return {
        "plate": f"03 {next(_counter):03d} KGZ",
        "kind": "compactor",
        "capacity_m3": "12",
        "capacity_kg": 7000,
        "fuel_norm": "32",
    }


def _xlsx(headers, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import_subscribers(world, data):
    from khizmat.billing.imports import (
        subscriber_import_check,
        subscriber_import_commit,
        subscriber_import_upload,
    )
    from khizmat.core.errors import DomainError

    actor = world.once(("user", world.kg.pk, Role.ADMIN), lambda: world.member(world.kg, Role.ADMIN))
    headers = ["holder_name", "holder_id_number", "phone", "settlement", "street", "house", "category"]
    headers.append("contract_start")
    row = [data[h] for h in headers[:-1]] + [data["contract_start"]]
    row[3] = world.settlement.name
    row[6] = "house"
    upload = SimpleUploadedFile("subscribers.xlsx", _xlsx(headers, [row]))
    with translation.override("en"):
        record = subscriber_import_upload(actor=actor, organization=world.kg, upload=upload)
        mapping = {name: index for index, name in enumerate(headers)}
        if subscriber_import_check(actor=actor, record=record, mapping=mapping):
            return
        try:
            subscriber_import_commit(actor=actor, record=record, mapping=mapping)
        except DomainError:
            return


def _application_fields(world):
    return {
        "service": world.service.pk,
        "applicant_name": "Karimov Shohrux",
        "applicant_id_number": VALID_PINFL,
        "applicant_phone": "",
        "applicant_address": "",
        "applicant_language": "uz",
        "fee_status": "due",
    }


def _report_fields(world):
    return {"report_type": world.pickup.pk, "address": "Lenin 12", "description": "Full bins", "phone": ""}


def _national_report(world, data):
    world.once(
        "area", lambda: ServiceAreaFactory(organization=world.kg, settlement=world.settlement, radius_km=3)
    )
    world.pickup  # noqa: B018 - the type the area handles
    world.client.post(
        reverse("reports:portal_index"),
        {
            "problem": "missed-pickup",
            "latitude": str(world.settlement.latitude),
            "longitude": str(world.settlement.longitude),
            "phone": data["phone"],
        },
    )


def _open311(world, data):
    client = world.once("open311", lambda: Open311ClientFactory(organization=world.kg))
    world.client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": world.kg.code,
            "api_key": client.api_key,
            "service_code": world.pickup.code,
            "address_string": "Lenin 12",
            "phone": data["phone"],
        },
    )


def _complaint(world, data):
    application = world.once("application", lambda: ApplicationFactory(organization=world.uz))
    world.client.post(reverse("feedback:complaint", args=[application_token(application)]), data)


def _staff_fields(world):
    return {
        "last_name": "Asanova",
        "first_name": "Aida",
        "phone": "",
        "username": f"aida{next(_counter)}",
        "role": Role.OPERATOR,
        "language": "ky",
        "password": "a-long-enough-password-42",
    }


def _tariff_fields(world):
    return {
        "category": world.category.pk,
        "service": "waste",
        "unit": "person",
        "price": "45.00",
        "effective_from": f"{1951 + next(_counter) % 60}-01-01",
        "decision_number": "12",
        "decision_date": "2024-01-15",
        "council": "City council",
    }


def _run_fields(world):
    world.once("tariff", lambda: TariffFactory(organization=world.kg, category=world.category))
    return {"month": "2024-06-01"}


def _contract_fields(world):
    return {
        "customer": world.customer.pk,
        "number": f"MZ-{next(_counter)}",
        "title": "Street cleaning",
        "starts_on": "2024-01-01",
        "ends_on": "2026-12-31",
        "signed_on": "",
        "notes": "",
    }


def _service_fields(world):
    return {
        "code": f"svc-{next(_counter)}",
        "category": "civil_registry",
        "name_en": "Certificate",
        "fee": "0",
        "deadline_working_days": 5,
        "channel": "counter",
        "is_active": "on",
    }


def _work_item_fields(world):
    return {
        "code": f"W{next(_counter)}",
        "name": "Sweeping",
        "unit": "km",
        "unit_price": "850",
        "planned_quantity": "10",
        "source": "manual",
    }


def _equipment_fields(world):
    return {
        "type": "pc",
        "model": "HP ProOne 440 G9",
        "serial_number": f"8CG{next(_counter)}",
        "cost": "1080",
    }


def _equipment_form_fields(world):
    return {**_equipment_fields(world), "currency": "USD", "delivery_date": "2025-01-01"}


def _act_fields(world):
    from khizmat.inventory.tests.factories import EquipmentFactory

    item = EquipmentFactory(organization=world.uz)
    return {
        "date": "2025-01-01",
        "handed_over_by_name": "Rahimov",
        "received_by_name": "Karimova",
        "items": [item.pk],
    }


def _import_equipment(world, data):
    from khizmat.inventory.imports import (
        equipment_import_check,
        equipment_import_commit,
        equipment_import_upload,
    )

    actor = world.once(("user", world.uz.pk, Role.ADMIN), lambda: world.member(world.uz, Role.ADMIN))
    headers = ["type", "model", "serial_number", "delivery_date"]
    upload = SimpleUploadedFile("equipment.xlsx", _xlsx(headers, [[data[h] for h in headers]]))
    with translation.override("en"):
        record = equipment_import_upload(actor=actor, organization=world.uz, upload=upload)
        if not equipment_import_check(actor=actor, record=record):
            equipment_import_commit(actor=actor, record=record)


def _event_fields(world):
    return {
        "topic": f"Training {next(_counter)}",
        "kind": "training",
        "start_date": "2025-01-01",
        "end_date": "2025-01-01",
        "venue": "",
        "description": "",
        "status": "planned",
    }


def _training(world):
    return world.once("training", lambda: EventFactory(organization=world.uz))


def _participant_fields(world):
    return {
        "event": _training(world).pk,
        "full_name": f"Aliyev Botir {next(_counter)}",
        "sex": "male",
        "affiliation_name": "",
        "position": "",
        "phone": "",
    }


def _patch_event(world, data):
    """A fresh event, then the change: only a change that passed its rules renames it "patched …"."""
    event = EventFactory(organization=world.uz, topic="fresh")
    world.api(world.uz).patch(f"/api/v1/training-events/{event.pk}/", data, format="json")


def _patch_participant(world, data):
    participant = ParticipantFactory(
        organization=world.uz, event=_training(world), full_name=f"fresh {next(_counter)}"
    )
    world.api(world.uz).patch(f"/api/v1/training-participants/{participant.pk}/", data, format="json")


def _import_participants(world, data):
    from khizmat.core.errors import DomainError
    from khizmat.trainings.imports import (
        participant_import_check,
        participant_import_commit,
        participant_import_upload,
    )

    actor = world.once(("user", world.uz.pk, Role.ADMIN), lambda: world.member(world.uz, Role.ADMIN))
    content = xlsx_bytes(["Full name", "Sex", "Phone"], [[data["full_name"], "M", data["phone"]]])
    with translation.override("en"):
        record = participant_import_upload(
            actor=actor, event=_training(world), upload=SimpleUploadedFile("list.xlsx", content)
        )
        if participant_import_check(actor=actor, record=record):
            return
        try:
            participant_import_commit(actor=actor, record=record)
        except DomainError:
            return


def _post(url_of, organization_of, role=Role.ADMIN):
    return lambda world, data: world.web(organization_of(world), role).post(url_of(world), data)


def _api_post(path, organization_of, **headers):
    def send(world, data):
        extra = {key: value() if callable(value) else value for key, value in headers.items()}
        world.api(organization_of(world)).post(path, data, format="json", **extra)

    return send


KG = lambda world: world.kg  # noqa: E731
UZ = lambda world: world.uz  # noqa: E731

WRITERS: dict[str, Writer] = {
    "form:billing.forms.SubscriberForm": Writer(
        "KG", _subscriber_fields, _post(lambda w: reverse("billing:subscriber_add"), KG),
        lambda w: Subscriber.objects.filter(organization=w.kg),
    ),
    "api:POST /api/v1/subscribers/": Writer(
        "KG", _subscriber_fields, _api_post("/api/v1/subscribers/", KG),
        lambda w: Subscriber.objects.filter(organization=w.kg),
    ),
    "import:billing.imports": Writer(
        "KG", _subscriber_fields, _import_subscribers, lambda w: Subscriber.objects.filter(organization=w.kg)
    ),
    "form:services.forms.ApplicationForm": Writer(
        "UZ", _application_fields, _post(lambda w: reverse("services:application_add"), UZ),
        lambda w: Application.objects.filter(organization=w.uz),
    ),
    "api:POST /api/v1/applications/": Writer(
        "UZ", _application_fields, _api_post("/api/v1/applications/", UZ),
        lambda w: Application.objects.filter(organization=w.uz),
    ),
    "form:tenancy.forms.StaffMemberForm": Writer(
        "KG", _staff_fields, _post(lambda w: reverse("tenancy:membership_add"), KG),
        lambda w: User.objects.filter(memberships__organization=w.kg),
    ),
    "form:feedback.forms.ComplaintForm": Writer(
        "UZ", lambda w: {"text": "The queue was very long today.", "citizen_phone": ""}, _complaint,
        lambda w: FeedbackCase.objects.filter(organization=w.uz),
    ),
    "form:reports.forms.PortalReportForm": Writer(
        "KG", _report_fields, lambda w, data: w.client.post(reverse("reports:portal_report", args=[w.kg.code]), data),
        lambda w: Report.objects.filter(organization=w.kg), {"phone": "citizen_phone"},
    ),
    "form:reports.forms.LocationReportForm": Writer(
        "KG", lambda w: {"phone": ""}, _national_report, lambda w: Report.objects.filter(organization=w.kg),
        {"phone": "citizen_phone"},
    ),
    "open311:POST requests": Writer(
        "KG", lambda w: {"phone": ""}, _open311, lambda w: Report.objects.filter(organization=w.kg),
        {"phone": "citizen_phone"},
    ),
    "form:billing.forms.PaymentForm": Writer(
        "KG", lambda w: {"amount": "10", "desk": w.desk.pk, "payer_name": "", "key": str(uuid.uuid4())},
        _post(lambda w: reverse("billing:payment_add", args=[w.subscriber.pk]), KG),
        lambda w: Payment.objects.filter(organization=w.kg),
    ),
    "api:POST /api/v1/payments/": Writer(
        "KG", lambda w: {"subscriber": w.subscriber.pk, "amount": "10", "method": "bank"},
        _api_post("/api/v1/payments/", KG, HTTP_IDEMPOTENCY_KEY=lambda: str(uuid.uuid4())),
        lambda w: Payment.objects.filter(organization=w.kg),
    ),
    "form:billing.forms.RunForm": Writer(
        "KG", _run_fields, _post(lambda w: reverse("billing:period_list"), KG),
        lambda w: BillingRun.objects.filter(organization=w.kg), {"month": lambda run: run.period.month},
    ),
    "api:POST /api/v1/billing-runs/": Writer(
        "KG", _run_fields, _api_post("/api/v1/billing-runs/", KG),
        lambda w: BillingRun.objects.filter(organization=w.kg), {"month": lambda run: run.period.month},
    ),
    "form:billing.forms.TariffForm": Writer(
        "KG", _tariff_fields, _post(lambda w: reverse("billing:tariff_add"), KG),
        lambda w: Tariff.objects.filter(organization=w.kg),
    ),
    "form:services.forms.ServiceForm": Writer(
        "UZ", _service_fields, _post(lambda w: reverse("services:service_add"), UZ),
        lambda w: Service.objects.filter(organization=w.uz),
    ),
    "form:contracts.forms.ContractForm": Writer(
        "KG", _contract_fields, _post(lambda w: reverse("contracts:contract_add"), KG),
        lambda w: Contract.objects.filter(organization=w.kg),
    ),
    "form:contracts.forms.WorkItemForm": Writer(
        "KG", _work_item_fields,
        _post(
            lambda w: reverse(
                "contracts:workitem_add",
                args=[w.once("contract", lambda: ContractFactory(organization=w.kg, customer=w.customer)).pk],
            ),
            KG,
        ),
        lambda w: WorkItem.objects.filter(organization=w.kg),
    ),
    "form:inventory.forms.EquipmentForm": Writer(
        "UZ", _equipment_form_fields, _post(lambda w: reverse("inventory:equipment_add"), UZ),
        lambda w: Equipment.objects.filter(organization=w.uz),
    ),
    "api:POST /api/v1/equipment/": Writer(
        "UZ", _equipment_form_fields, _api_post("/api/v1/equipment/", UZ),
        lambda w: Equipment.objects.filter(organization=w.uz),
    ),
    "import:inventory.imports": Writer(
        "UZ", _equipment_fields, _import_equipment, lambda w: Equipment.objects.filter(organization=w.uz)
    ),
    "form:inventory.forms.HandoverActForm": Writer(
        "UZ", _act_fields, _post(lambda w: reverse("inventory:handoveract_add"), UZ),
        lambda w: HandoverAct.objects.filter(organization=w.uz),
    ),
    "api:POST /api/v1/handover-acts/": Writer(
        "UZ", _act_fields, _api_post("/api/v1/handover-acts/", UZ),
        lambda w: HandoverAct.objects.filter(organization=w.uz),
    ),
    "form:trainings.forms.EventForm": Writer(
        "UZ", _event_fields, _post(lambda w: reverse("trainings:event_add"), UZ),
        lambda w: Event.objects.filter(organization=w.uz),
    ),
    "api:POST /api/v1/training-events/": Writer(
        "UZ", _event_fields, _api_post("/api/v1/training-events/", UZ), lambda w: Event.objects.filter(organization=w.uz),
    ),
    "api:PATCH /api/v1/training-events/{id}/": Writer(
        "UZ", lambda w: {"topic": f"patched {next(_counter)}", "start_date": "2025-01-01", "end_date": "2025-01-01"},
        _patch_event, lambda w: Event.objects.filter(organization=w.uz, topic__startswith="patched"),
    ),
    "form:trainings.forms.ParticipantForm": Writer(
        "UZ", _participant_fields, _post(lambda w: reverse("trainings:participant_add", args=[_training(w).pk]), UZ),
        lambda w: Participant.objects.filter(organization=w.uz),
    ),
    "api:POST /api/v1/training-participants/": Writer(
        "UZ", _participant_fields, _api_post("/api/v1/training-participants/", UZ),
        lambda w: Participant.objects.filter(organization=w.uz),
    ),
    "api:PATCH /api/v1/training-participants/{id}/": Writer(
        "UZ", lambda w: {"full_name": f"patched {next(_counter)}", "phone": ""}, _patch_participant,
        lambda w: Participant.objects.filter(organization=w.uz, full_name__startswith="patched"),
    ),
    "import:trainings.imports": Writer(
        "UZ", _participant_fields, _import_participants, lambda w: Participant.objects.filter(organization=w.uz),
    ),
    "form:fieldwork.forms.VehicleForm": Writer(
        "KG", _vehicle_fields, _post(lambda w: reverse("fieldwork:vehicle_add"), KG),
        lambda w: Vehicle.objects.filter(organization=w.kg), {"delivery_date": lambda v: v.equipment.delivery_date},
    ),
    "api:POST /api/v1/vehicles/": Writer(
        "KG", _vehicle_fields, _api_post("/api/v1/vehicles/", KG),
        lambda w: Vehicle.objects.filter(organization=w.kg), {"delivery_date": lambda v: v.equipment.delivery_date},
    ),
    "form:fieldwork.forms.MaintenanceRecordForm": Writer(
        "KG", lambda w: {"kind": "repair", "cost": "0"},
        _post(lambda w: reverse("fieldwork:maintenance_add", args=[w.vehicle.pk]), KG),
        lambda w: VehicleService.objects.filter(organization=w.kg),
    ),
    "api:POST /api/v1/vehicle-services/": Writer(
        "KG", lambda w: {"vehicle": w.vehicle.pk, "kind": "repair"}, _api_post("/api/v1/vehicle-services/", KG),
        lambda w: VehicleService.objects.filter(organization=w.kg),
    ),
    "form:fieldwork.forms.FuelRecordForm": Writer(
        "KG", lambda w: {"litres": "50", "cost": "0"},
        _post(lambda w: reverse("fieldwork:fuel_add", args=[w.vehicle.pk]), KG),
        lambda w: FuelRecord.objects.filter(organization=w.kg),
    ),
    "api:POST /api/v1/fuel-records/": Writer(
        "KG", lambda w: {"vehicle": w.vehicle.pk, "litres": "50"}, _api_post("/api/v1/fuel-records/", KG),
        lambda w: FuelRecord.objects.filter(organization=w.kg),
    ),
    "form:fieldwork.forms.MaintenanceRuleForm": Writer(
        "KG", lambda w: {"name": f"Oil {next(_counter)}", "kind": "service", "every_days": "90", "is_active": "on"},
        _post(lambda w: reverse("fieldwork:maintenance_rule_add", args=[w.vehicle.pk]), KG),
        lambda w: MaintenanceRule.objects.filter(organization=w.kg),
    ),
    "api:POST /api/v1/maintenance-rules/": Writer(
        "KG", lambda w: {"vehicle": w.vehicle.pk, "name": f"Oil {next(_counter)}", "kind": "service", "every_days": 90},
        _api_post("/api/v1/maintenance-rules/", KG), lambda w: MaintenanceRule.objects.filter(organization=w.kg),
    ),
    "form:fieldwork.forms.CrewMemberForm": Writer(
        "KG", lambda w: {"name": f"Loader {next(_counter)}", "position": "loader", "is_active": "on"},
        _post(lambda w: reverse("fieldwork:crew_add", args=[w.vehicle.pk]), KG),
        lambda w: CrewMember.objects.filter(organization=w.kg),
    ),
    "api:POST /api/v1/crew-members/": Writer(
        "KG", lambda w: {"vehicle": w.vehicle.pk, "name": f"Loader {next(_counter)}", "position": "loader"},
        _api_post("/api/v1/crew-members/", KG), lambda w: CrewMember.objects.filter(organization=w.kg),
    ),
}  # fmt: skip

# Lookups: a phone written in any accepted form finds what was stored in E.164.
LOOKUPS = {("form:services.forms.TrackForm", "phone", "phone")}

# --- The tests -----------------------------------------------------------------------------------------------------


def test_every_writer_of_a_rule_field_has_a_case():
    """A form, API operation or importer with a phone, ID number, amount or date field is covered here."""
    discovered = DISCOVERED
    assert {(w, f) for w, f, _rule in discovered} >= {(w, f) for w, f, _rule in LOOKUPS}
    missing = sorted(
        (writer, name, rule)
        for writer, name, rule in discovered - LOOKUPS
        if writer not in WRITERS and (writer, name) not in NOT_WRITERS
    )
    assert missing == [], "writers whose field rules no case checks (add a Writer to WRITERS): " + repr(
        missing
    )
    stale = sorted(set(WRITERS) - {w for w, _f, _r in discovered})
    assert stale == [], f"cases for writers that no longer exist: {stale}"


def _fields_of(writer: str) -> list[tuple[str, str]]:
    return sorted(
        (name, rule) for w, name, rule in DISCOVERED if w == writer and (writer, name) not in NOT_WRITERS
    )


DISCOVERED: set = set()


@pytest.fixture(scope="module", autouse=True)
def _discovered(django_db_blocker):
    from django_scopes import scopes_disabled

    with django_db_blocker.unblock(), scopes_disabled():
        DISCOVERED.update(discover())


@pytest.mark.parametrize("writer_id", sorted(WRITERS))
def test_the_writer_refuses_bad_values_and_stores_the_local_form_normalized(
    writer_id, org_a, org_b, member, client
):
    writer = WRITERS[writer_id]
    world = World(org_a, org_b, member, client)
    fields = _fields_of(writer_id)
    assert fields, f"{writer_id} has no rule field any more"
    for name, rule in fields:
        attr = writer.attrs.get(name, name)
        for bad in BAD[rule]:
            before = set(writer.rows(world).values_list("pk", flat=True))
            writer.submit(world, {**writer.base(world), name: bad})
            written = writer.rows(world).exclude(pk__in=before)
            assert not written.exists(), f"{writer_id} stored {name}={bad!r}"
        good, stored = GOOD[rule][writer.country]
        before = set(writer.rows(world).values_list("pk", flat=True))
        writer.submit(world, {**writer.base(world), name: good})
        written = list(writer.rows(world).exclude(pk__in=before))
        assert len(written) == 1, f"{writer_id} did not store {name}={good!r}"
        value = attr(written[0]) if callable(attr) else getattr(written[0], attr)
        assert value == stored, f"{writer_id}: {name}={good!r} stored as {value!r}"


@pytest.mark.parametrize(
    ("typed", "stored"), [("901234563", "+998901234563"), ("+998 90 123-45-63", "+998901234563")]
)
def test_tracking_finds_the_application_by_the_phone_in_any_form(org_a, client, typed, stored):
    application = ApplicationFactory(organization=org_a, applicant_phone=stored)
    found = client.post(reverse("services:track"), {"number": application.number, "phone": typed})
    assert found.status_code == 200
    assert application.number in found.content.decode()
    other = client.post(reverse("services:track"), {"number": application.number, "phone": "901234564"})
    assert other.status_code == 404


def test_every_phone_field_says_the_expected_format():
    """Next to every phone input of a form: an example in the local and the international form."""
    with translation.override("en"):
        for writer, name, rule in DISCOVERED:
            if rule == "phone" and writer.startswith("form:"):
                module, cls = writer.removeprefix("form:").rsplit(".", 1)
                help_text = str(
                    getattr(importlib.import_module(f"khizmat.{module}"), cls).base_fields[name].help_text
                )
                assert "+99" in help_text and " or " in help_text, (
                    f"{writer}.{name} shows no format: {help_text!r}"
                )


def test_the_api_and_the_form_name_the_field_a_rule_refused(org_a, org_b, member, client):
    """The refusal comes from the service; the API says which field, the form shows it by that field."""
    world = World(org_a, org_b, member, client)
    data = {**_subscriber_fields(world), "phone": "abc"}
    with translation.override("en"):
        answer = world.api(org_b).post("/api/v1/subscribers/", data, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 422  # well-formed, refused by the service's rule
        assert answer.json()["field"] == "phone"
        assert "+996 555 123 456" in answer.json()["detail"]

        page = world.web(org_b).post(reverse("billing:subscriber_add"), data)
        assert page.status_code == 400
        assert "+996 555 123 456" in " ".join(page.context["form"].errors["phone"])


def test_the_account_search_finds_a_phone_written_locally(org_b):
    from khizmat.billing.selectors import subscriber_search

    account = SubscriberFactory(organization=org_b, phone="+996555123456")
    SubscriberFactory(organization=org_b, phone="+996555123457")
    assert list(subscriber_search(organization=org_b, query="0555 12 34 56")) == [account]
