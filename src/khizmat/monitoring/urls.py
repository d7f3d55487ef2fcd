from django.urls import path

from khizmat.documents.actions import DocumentRequestView
from khizmat.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("records/<str:code>/", views.RecordsView.as_view(), name="records"),
    path(
        "results.xlsx",
        DocumentRequestView.as_view(kind="monitoring.dashboard", permission="monitoring.dashboard"),
        name="dashboard_xlsx",
    ),
]
