from django.urls import path

from khizmat.services import views

app_name = "services"

urlpatterns = [
    path("catalog/", views.ServiceListView.as_view(), name="service_list"),
    path("catalog/add/", views.ServiceCreateView.as_view(), name="service_add"),
    path("catalog/<int:pk>/", views.ServiceDetailView.as_view(), name="service_detail"),
    path("catalog/<int:pk>/edit/", views.ServiceEditView.as_view(), name="service_edit"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/overdue/", views.ApplicationOverdueView.as_view(), name="application_overdue"),
    path("applications/workload/", views.OperatorLoadView.as_view(), name="operator_load"),
    path("applications/add/", views.ApplicationCreateView.as_view(), name="application_add"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path(
        "applications/<int:pk>/step/",
        views.ApplicationTransitionView.as_view(),
        name="application_transition",
    ),
    path(
        "applications/<int:pk>/assign/", views.ApplicationReassignView.as_view(), name="application_reassign"
    ),
    path(
        "applications/<int:pk>/documents/",
        views.ApplicationDocumentAddView.as_view(),
        name="application_document_add",
    ),
    path(
        "documents/<int:pk>/",
        views.ApplicationDocumentDownloadView.as_view(),
        name="applicationdocument_download",
    ),
    path(
        "applications/<int:pk>/receipt/", views.ApplicationReceiptView.as_view(), name="application_receipt"
    ),
    path("track/", views.TrackView.as_view(), name="track"),
    path("catalog/<int:pk>/publish/", views.ServicePublishView.as_view(), name="service_publish"),
]
