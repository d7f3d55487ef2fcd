from khizmat.inventory import views

app_name = "inventory"

urlpatterns = views.urlpatterns
