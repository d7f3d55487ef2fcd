def register(router):
    from khizmat.trainings.api import views

    router.register("training-events", views.EventViewSet, basename="trainingevent")
    router.register("training-participants", views.ParticipantViewSet, basename="trainingparticipant")
    router.register("training-materials", views.EventMaterialViewSet, basename="trainingmaterial")
    router.register(
        "training-participant-imports", views.ParticipantImportViewSet, basename="participantimport"
    )
