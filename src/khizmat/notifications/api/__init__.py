def register(router):
    from khizmat.notifications.api import views

    router.register("sms", views.SmsMessageViewSet, basename="smsmessage")
