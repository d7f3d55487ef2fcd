from khizmat.reports.models import Open311Client, Report, ReportType, ReportUpdate
from khizmat.reports.services import report_create
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scopes_disabled


def test_demo_reports_are_real_places_mixed_and_idempotent(demo_data, db):
    assert demo_data.added_by_second_run(Report, ReportUpdate, ReportType) == {}
    with scopes_disabled():
        toktogul = Organization.objects.get(code="ynguuluu-shart")
        reports = Report.objects.filter(organization=toktogul)
        assert reports.exists()
        assert all(41.8 < float(r.latitude) < 41.95 and 72.85 < float(r.longitude) < 73.05 for r in reports)
        assert reports.values("status").distinct().count() >= 2
        assert Open311Client.objects.filter(organization=toktogul).exists()

        report_type = ReportType.objects.get(organization=toktogul, code="missed-pickup")
        new = report_create(
            organization=toktogul, report_type=report_type, source="staff", address="Toktogul"
        )
        assert not Report.objects.filter(organization=toktogul, number=new.number).exclude(pk=new.pk).exists()
