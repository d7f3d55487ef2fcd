from khizmat.contracts import views

app_name = "contracts"

urlpatterns = views.urlpatterns
