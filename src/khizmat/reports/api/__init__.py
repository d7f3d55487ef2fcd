def register(router):
    from khizmat.reports.api import views

    router.register("report-types", views.ReportTypeViewSet, basename="reporttype")
    router.register("reports", views.ReportViewSet, basename="report")
    router.register("report-updates", views.ReportUpdateViewSet, basename="reportupdate")
    router.register("open311-clients", views.Open311ClientViewSet, basename="open311client")
    router.register("service-areas", views.ServiceAreaViewSet, basename="servicearea")
