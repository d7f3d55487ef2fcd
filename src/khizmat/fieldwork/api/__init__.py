def register(router):
    from khizmat.fieldwork.api import views

    router.register("vehicles", views.VehicleViewSet, basename="vehicle")
    router.register("vehicle-services", views.VehicleServiceViewSet, basename="vehicleservice")
    router.register("facilities", views.FacilityViewSet, basename="facility")
    router.register("collection-points", views.CollectionPointViewSet, basename="collectionpoint")
    router.register("pickup-days", views.PickupDayViewSet, basename="pickupday")
