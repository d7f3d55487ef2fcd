def register(router):
    from khizmat.tenancy.api import views

    router.register("countries", views.CountryViewSet, basename="country")
    router.register("regions", views.RegionViewSet, basename="region")
    router.register("districts", views.DistrictViewSet, basename="district")
    router.register("settlements", views.SettlementViewSet, basename="settlement")
    router.register("organizations", views.OrganizationViewSet, basename="organization")
    router.register("calendar-days", views.CalendarDayViewSet, basename="calendarday")
    router.register("memberships", views.MembershipViewSet, basename="membership")
    router.register("personal-data-access", views.PersonalDataAccessViewSet, basename="personaldataaccess")
