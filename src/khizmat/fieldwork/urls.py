from django.urls import path

from khizmat.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("pickup/<slug:org_code>/", views.PickupScheduleView.as_view(), name="pickup_schedule"),
    path("fieldwork/routes/", views.DayRoutesView.as_view(), name="day_routes"),
    path("fieldwork/routes/draw/", views.ManualRoutesView.as_view(), name="routes_draw"),
    path("fieldwork/routes/<int:pk>/", views.RouteDetailView.as_view(), name="route_detail"),
    path("fieldwork/stops/<int:pk>/photo/", views.RouteStopPhotoView.as_view(), name="routestop_photo"),
    path("fieldwork/stops/<int:pk>/move/", views.RouteStopMoveView.as_view(), name="routestop_move"),
    path("fieldwork/plans/<int:pk>/", views.PlanDetailView.as_view(), name="routeplan_detail"),
    path("fieldwork/plans/<int:pk>/apply/", views.PlanApplyView.as_view(), name="routeplan_apply"),
    path("fieldwork/vehicles/", views.VehiclePerformanceView.as_view(), name="vehicle_performance"),
    path("driver/", views.DriverHomeView.as_view(), name="driver_home"),
    path("driver/routes/<int:pk>/", views.DriverRouteView.as_view(), name="driver_route"),
    path("driver/sync/", views.DriverSyncView.as_view(), name="driver_sync"),
]
