def register(router):
    from khizmat.monitoring.api import views

    router.register("monitoring/measure-values", views.MeasureValueViewSet, basename="measurevalue")
