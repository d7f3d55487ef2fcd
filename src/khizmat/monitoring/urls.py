from django.urls import path

from khizmat.documents.actions import DocumentRequestView
from khizmat.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.DashboardView.as_view(), name="dashboard"),
    path("monitoring/records/<str:code>/", views.RecordsView.as_view(), name="records"),
    path(
        "monitoring/results.xlsx",
        DocumentRequestView.as_view(kind="monitoring.dashboard", permission="monitoring.dashboard"),
        name="dashboard_xlsx",
    ),
    path("monitoring/open-data/", views.OpenDataSettingsView.as_view(), name="open_data_settings"),
    path("monitoring/indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("monitoring/indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("monitoring/funder-report/", views.FunderReportView.as_view(), name="funder_report"),
    path(
        "monitoring/funder-report.xlsx",
        DocumentRequestView.as_view(
            kind="monitoring.funder_report_xlsx", permission="monitoring.funder_report"
        ),
        name="funder_report_xlsx",
    ),
    path(
        "monitoring/funder-report.pdf",
        DocumentRequestView.as_view(
            kind="monitoring.funder_report_pdf", permission="monitoring.funder_report"
        ),
        name="funder_report_pdf",
    ),
    # Public, without login: the organizations that chose to publish.
    path("open/", views.OpenDataIndexView.as_view(), name="open_data_index"),
    path("open/<slug:code>/", views.OpenDataView.as_view(), name="open_data"),
    path("open/<slug:code>/data.<str:fmt>", views.OpenDataFileView.as_view(), name="open_data_file"),
]
