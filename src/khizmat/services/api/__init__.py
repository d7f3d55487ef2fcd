def register(router):
    from khizmat.services.api import views

    router.register("services", views.ServiceViewSet, basename="service")
    router.register("applications", views.ApplicationViewSet, basename="application")
    router.register("application-steps", views.ApplicationTransitionViewSet, basename="applicationtransition")
    router.register("application-documents", views.ApplicationDocumentViewSet, basename="applicationdocument")
