from khizmat.billing.views import cash, imports, reports, runs, statements, subscribers, tariffs

app_name = "billing"

# Each views module lists its own routes (names "billing:<model>_<action>"); this file only gathers them.
urlpatterns = [
    *subscribers.urlpatterns,
    *cash.urlpatterns,
    *runs.urlpatterns,
    *statements.urlpatterns,
    *imports.urlpatterns,
    *reports.urlpatterns,
    *tariffs.urlpatterns,
]
