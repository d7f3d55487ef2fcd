from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from khizmat.core.forms import LoginForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("khizmat.tenancy.account_urls")),  # the change-password page
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("", include("khizmat.api.urls")),
    path("", include("khizmat.tenancy.urls")),
    path("", include("khizmat.services.urls")),
    path("", include("khizmat.queue.urls")),
    path("", include("khizmat.feedback.urls")),
    path("", include("khizmat.notifications.urls")),
    path("", include("khizmat.documents.urls")),
    path("", include("khizmat.inventory.urls")),
    path("", include("khizmat.reports.open311.urls")),
    path("", include("khizmat.reports.urls")),
    path("", include("khizmat.billing.urls")),
    path("", include("khizmat.fieldwork.urls")),
    path("", include("khizmat.contracts.urls")),
    path("", include("khizmat.monitoring.urls")),
    path("", include("khizmat.trainings.urls")),
    path("", include("khizmat.web.urls")),
]

handler403 = "khizmat.web.views.error_403"
handler404 = "khizmat.api.views.error_404"
handler500 = "khizmat.api.views.error_500"
