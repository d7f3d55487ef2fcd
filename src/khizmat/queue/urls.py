from django.urls import path

from khizmat.queue import views

app_name = "queue"

urlpatterns = [
    path("queue/", views.QueueOverviewView.as_view(), name="overview"),
    path("queue/setup/", views.QueueSetupView.as_view(), name="setup"),
    path("queue/issue/", views.DeskIssueView.as_view(), name="desk_issue"),
    path("queue/counters/", views.CounterChooseView.as_view(), name="counter_choose"),
    path("queue/counters/<int:pk>/", views.CounterView.as_view(), name="counter"),
    path("queue/counters/<int:pk>/act/", views.CounterActionView.as_view(), name="counter_action"),
    path(
        "queue/tickets/<int:pk>/application/",
        views.TicketApplicationView.as_view(),
        name="ticket_application",
    ),
    path("q/<slug:org_code>/<str:token>/kiosk/", views.KioskView.as_view(), name="kiosk"),
    path("q/<slug:org_code>/<str:token>/board/", views.BoardView.as_view(), name="board"),
]
