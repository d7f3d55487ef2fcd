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
    path("fieldwork/fleet/", views.FleetView.as_view(), name="fleet"),
    path("fieldwork/fleet/add/", views.VehicleFormView.as_view(), name="vehicle_add"),
    path("fieldwork/fleet/<int:pk>/", views.VehicleDetailView.as_view(), name="vehicle_detail"),
    path("fieldwork/fleet/<int:pk>/edit/", views.VehicleFormView.as_view(), name="vehicle_edit"),
    path("fieldwork/fleet/<int:pk>/status/", views.VehicleStatusView.as_view(), name="vehicle_status"),
    path(
        "fieldwork/fleet/<int:pk>/maintenance/", views.MaintenanceRecordView.as_view(), name="maintenance_add"
    ),
    path("fieldwork/fleet/<int:pk>/fuel/", views.FuelRecordView.as_view(), name="fuel_add"),
    path("fieldwork/fleet/<int:pk>/plan/", views.MaintenanceRuleView.as_view(), name="maintenance_rule_add"),
    path("fieldwork/plan/<int:pk>/", views.MaintenanceRuleEditView.as_view(), name="maintenance_rule_edit"),
    path("fieldwork/fleet/<int:pk>/crew/", views.CrewMemberView.as_view(), name="crew_add"),
    path("fieldwork/crew/<int:pk>/", views.CrewMemberEditView.as_view(), name="crew_edit"),
    path("driver/", views.DriverHomeView.as_view(), name="driver_home"),
    path("driver/routes/<int:pk>/", views.DriverRouteView.as_view(), name="driver_route"),
    path("driver/sync/", views.DriverSyncView.as_view(), name="driver_sync"),
]
