from khizmat.trainings import views

app_name = "trainings"

urlpatterns = views.urlpatterns
