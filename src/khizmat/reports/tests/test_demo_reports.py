import pytest
from django.core.management import call_command

from khizmat.reports.models import Open311Client, Report, ReportType, ReportUpdate
from khizmat.reports.services import report_create
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scopes_disabled


@pytest.mark.django_db
def test_demo_reports_are_real_places_mixed_and_idempotent():
    call_command("demo", "--quiet", "--force", "--scale", "0.1")
    with scopes_disabled():
        counts = (Report.objects.count(), ReportUpdate.objects.count(), ReportType.objects.count())
        toktogul = Organization.objects.get(code="ynguuluu-shart")
        reports = Report.objects.filter(organization=toktogul)
        assert reports.exists()
        assert all(41.8 < float(r.latitude) < 41.95 and 72.85 < float(r.longitude) < 73.05 for r in reports)
        assert reports.values("status").distinct().count() >= 2
        assert Open311Client.objects.filter(organization=toktogul).exists()

        call_command("demo", "--quiet", "--force", "--scale", "0.1")
        assert (Report.objects.count(), ReportUpdate.objects.count(), ReportType.objects.count()) == counts

        report_type = ReportType.objects.get(organization=toktogul, code="missed-pickup")
        new = report_create(
            organization=toktogul, report_type=report_type, source="staff", address="Toktogul"
        )
        assert not Report.objects.filter(organization=toktogul, number=new.number).exclude(pk=new.pk).exists()
