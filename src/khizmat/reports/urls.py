from django.urls import path

from khizmat.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportInboxView.as_view(), name="inbox"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/act/", views.ReportActionView.as_view(), name="report_action"),
    path("reports/<int:pk>/photo/", views.ReportPhotoView.as_view(), name="report_photo"),
    path("report/", views.PortalIndexView.as_view(), name="portal_index"),
    path("report/<slug:org_code>/", views.PortalReportView.as_view(), name="portal_report"),
    path("report/<slug:org_code>/find/", views.PortalFindView.as_view(), name="portal_find"),
    path("report/<slug:org_code>/recent/", views.PortalRecentView.as_view(), name="portal_recent"),
    path("report/<slug:org_code>/<str:number>/", views.PortalFollowView.as_view(), name="portal_follow"),
]
