def register(router):
    from khizmat.monitoring.api import views

    router.register("monitoring/measure-values", views.MeasureValueViewSet, basename="measurevalue")
    router.register("monitoring/kpis", views.KpiDefinitionViewSet, basename="kpi")
    router.register("monitoring/results", views.ResultsViewSet, basename="results")
    router.register("monitoring/open-data", views.OpenDataViewSet, basename="opendata")
    router.register("monitoring/indicators", views.IndicatorViewSet, basename="indicator")
    router.register("monitoring/indicator-targets", views.IndicatorTargetViewSet, basename="indicatortarget")
    router.register("monitoring/indicator-results", views.IndicatorResultViewSet, basename="indicatorresult")
