from django.urls import path

from khizmat.feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.CaseListView.as_view(), name="case_list"),
    path("feedback/scores/", views.ScoresView.as_view(), name="scores"),
    path("feedback/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("f/<str:token>/", views.RateApplicationView.as_view(), name="rate_application"),
    path("f/<str:token>/complaint/", views.ComplaintView.as_view(), name="complaint"),
    path("q/<slug:org_code>/<str:token>/rate/", views.TabletView.as_view(), name="tablet"),
]
