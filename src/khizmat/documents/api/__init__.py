def register(router):
    from khizmat.documents.api import views

    router.register("documents", views.GeneratedDocumentViewSet, basename="generateddocument")
