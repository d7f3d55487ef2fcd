from django.urls import path

from khizmat.reports.open311 import views

app_name = "open311"

urlpatterns = [
    path("open311/v2/discovery.<str:fmt>", views.discovery, name="discovery"),
    path("open311/v2/services.<str:fmt>", views.services_list, name="services"),
    path("open311/v2/services/<str:code>.<str:fmt>", views.service_definition, name="service"),
    path("open311/v2/requests.<str:fmt>", views._cached_list(views.requests_view), name="requests"),
    path("open311/v2/requests/<str:request_id>.<str:fmt>", views.request_detail, name="request"),
    path("open311/v2/tokens/<str:token>.<str:fmt>", views.token_detail, name="token"),
]
