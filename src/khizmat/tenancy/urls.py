from django.urls import path

from khizmat.tenancy import two_factor, views

app_name = "tenancy"

urlpatterns = [
    path("organization/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("staff/", views.MembershipListView.as_view(), name="membership_list"),
    path("staff/add/", views.MembershipCreateView.as_view(), name="membership_add"),
    path("staff/<int:pk>/", views.MembershipDetailView.as_view(), name="membership_detail"),
    path("staff/<int:pk>/edit/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("staff/<int:pk>/password/", views.MembershipPasswordView.as_view(), name="membership_password"),
    path(
        "personal-data/access/", views.PersonalDataAccessListView.as_view(), name="personal_data_access_list"
    ),
    path("accounts/two-factor/", two_factor.TwoFactorEnrollView.as_view(), name="two_factor_enroll"),
    path("accounts/two-factor/verify/", two_factor.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
]
