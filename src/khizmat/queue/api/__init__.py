def register(router):
    from khizmat.queue.api import views

    router.register("queue/groups", views.ServiceGroupViewSet, basename="servicegroup")
    router.register("queue/counters", views.CounterViewSet, basename="counter")
    router.register("queue/tickets", views.QueueTicketViewSet, basename="queueticket")
    router.register("queue/screens", views.QueueScreenViewSet, basename="queuescreen")
