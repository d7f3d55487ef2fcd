from django.urls import path

from khizmat.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("pickup/<slug:org_code>/", views.PickupScheduleView.as_view(), name="pickup_schedule"),
]
