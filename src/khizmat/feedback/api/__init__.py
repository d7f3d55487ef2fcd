def register(router):
    from khizmat.feedback.api import views

    router.register("ratings", views.RatingViewSet, basename="rating")
    router.register("feedback-cases", views.FeedbackCaseViewSet, basename="feedbackcase")
