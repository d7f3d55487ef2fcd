from django.urls import path

from khizmat.web import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("language/", views.language_set, name="language_set"),
    path("organization/switch/", views.organization_switch, name="organization_switch"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("monitoring/organizations/", views.MonitoringView.as_view(), name="monitoring"),
    path("accounts/token/", views.api_token, name="api_token"),
]
