"""Citizens' phones of reports filed before the field rules were stored as typed ("0555 12 34 56", "hello"): store them
in E.164 like every other phone, and drop what is no phone number (no SMS could reach it)."""

from django.core.exceptions import ValidationError
from django.db import migrations


def normalize(apps, schema_editor):
    from django_scopes import scopes_disabled

    from khizmat.core.fieldrules import normalize_phone

    with scopes_disabled():
        _normalize(apps, normalize_phone)


def _normalize(apps, normalize_phone):
    Report = apps.get_model("reports", "Report")
    Organization = apps.get_model("tenancy", "Organization")
    countries = dict(Organization.objects.values_list("pk", "country__code"))
    rows = Report.objects.exclude(citizen_phone="").exclude(citizen_phone__regex=r"^\+99[68][0-9]{9}$")
    for pk, organization_id, phone in rows.values_list("pk", "organization_id", "citizen_phone").iterator():
        try:
            stored = normalize_phone(phone, country_code=countries.get(organization_id))
        except ValidationError:
            stored = ""
        Report.objects.filter(pk=pk).update(citizen_phone=stored)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_notes_stored_as_codes"), ("tenancy", "0001_initial")]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop)]
