from django.urls import path

from khizmat.notifications import views

app_name = "notifications"

urlpatterns = [
    path("sms/", views.MessageListView.as_view(), name="message_list"),
    path("sms/<int:pk>/retry/", views.MessageRetryView.as_view(), name="message_retry"),
]
