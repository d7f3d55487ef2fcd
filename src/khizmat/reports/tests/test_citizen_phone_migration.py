"""Reports filed before the field rules keep their citizen's phone in E.164, or none when it was no number."""

import importlib

from django.apps import apps

from khizmat.reports.models import Report
from khizmat.reports.tests.factories import ReportFactory

migration = importlib.import_module("khizmat.reports.migrations.0006_normalize_citizen_phones")


def test_typed_phones_become_e164_and_words_are_dropped(org_a, org_b):
    kept = ReportFactory(organization=org_b, citizen_phone="+996555123456")
    local = ReportFactory(organization=org_b, citizen_phone="0555 12 34 56")
    uzbek = ReportFactory(organization=org_a, citizen_phone="90 123 45 63")
    word = ReportFactory(organization=org_b, citizen_phone="hello")

    migration.normalize(apps, None)

    phones = dict(Report.objects.values_list("pk", "citizen_phone"))
    assert phones[kept.pk] == "+996555123456"
    assert phones[local.pk] == "+996555123456"
    assert phones[uzbek.pk] == "+998901234563"
    assert phones[word.pk] == ""
