def register(router):
    from khizmat.fieldwork.api import views

    router.register("vehicles", views.VehicleViewSet, basename="vehicle")
    router.register("vehicle-services", views.VehicleServiceViewSet, basename="vehicleservice")
    router.register("fuel-records", views.FuelRecordViewSet, basename="fuelrecord")
    router.register("maintenance-rules", views.MaintenanceRuleViewSet, basename="maintenancerule")
    router.register("facilities", views.FacilityViewSet, basename="facility")
    router.register("collection-points", views.CollectionPointViewSet, basename="collectionpoint")
    router.register("pickup-days", views.PickupDayViewSet, basename="pickupday")
    router.register("crew-members", views.CrewMemberViewSet, basename="crewmember")
    router.register("route-plans", views.RoutePlanViewSet, basename="routeplan")
    router.register("routes", views.RouteViewSet, basename="route")
    router.register("route-stops", views.RouteStopViewSet, basename="routestop")
    router.register("trips", views.TripViewSet, basename="trip")
    router.register("trip-loads", views.TripLoadViewSet, basename="tripload")
    router.register("driver-marks", views.DriverEventViewSet, basename="driverevent")
