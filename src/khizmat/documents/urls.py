from django.urls import path

from khizmat.documents import views

app_name = "documents"

urlpatterns = [
    path("downloads/<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("downloads/<int:pk>/file/", views.DocumentDownloadView.as_view(), name="download"),
]
