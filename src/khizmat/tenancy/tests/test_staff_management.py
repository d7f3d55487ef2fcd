"""Administrators add staff and change roles; the last administrator cannot be removed."""

import pytest
from django.urls import reverse

from khizmat.core.errors import DomainError
from khizmat.tenancy import services
from khizmat.tenancy.models import Membership, User
from khizmat.tenancy.roles import Role


def test_admin_adds_a_staff_member(org_a, admin_a, client):
    client.force_login(admin_a)
    response = client.post(
        reverse("tenancy:membership_add"),
        {
            "last_name": "Toshmatova",
            "first_name": "Malika",
            "username": "malika.t",
            "role": Role.CASHIER,
            "language": "uz",
            "password": "a-long-enough-passphrase",
            "phone": "+998901234567",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="malika.t")
    assert membership.organization == org_a
    assert membership.role == Role.CASHIER
    assert User.objects.get(username="malika.t").check_password("a-long-enough-passphrase")


def test_bad_input_gets_field_errors_in_the_users_language(org_a, member, client):
    client.force_login(member(org_a, Role.ADMIN, language="ru"))
    response = client.post(reverse("tenancy:membership_add"), {"username": "X!", "phone": "12345"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Обязательное поле." in body or "Это поле обязательно" in body
    assert not Membership.objects.filter(user__username="X!").exists()


def test_last_admin_cannot_be_demoted(org_a, admin_a):
    with pytest.raises(DomainError) as error:
        services.membership_update(
            actor=admin_a, membership=admin_a.memberships.get(), role=Role.OPERATOR, is_active=True
        )
    assert error.value.code == "last_admin"
    assert admin_a.memberships.get().role == Role.ADMIN


def test_taken_username_is_refused(org_a, admin_a, operator_a):
    with pytest.raises(DomainError) as error:
        services.membership_create(
            actor=admin_a,
            organization=org_a,
            username=operator_a.username,
            first_name="A",
            last_name="B",
            role=Role.OPERATOR,
            password="a-long-enough-passphrase",
        )
    assert error.value.code == "username_taken"


def test_weak_password_is_refused_and_nothing_is_written(org_a, admin_a):
    with pytest.raises(DomainError):
        services.membership_create(
            actor=admin_a,
            organization=org_a,
            username="newbie",
            first_name="A",
            last_name="B",
            role=Role.OPERATOR,
            password="12345678",
        )
    assert not User.objects.filter(username="newbie").exists()


def test_manager_cannot_edit_roles(org_a, admin_a, member, client):
    client.force_login(member(org_a, Role.MANAGER))
    target = admin_a.memberships.get()
    response = client.post(reverse("tenancy:membership_edit", args=[target.pk]), {"role": Role.OPERATOR})
    assert response.status_code == 403
    assert admin_a.memberships.get().role == Role.ADMIN


def test_user_with_two_memberships_switches_organization(org_a, org_b, member, client):
    user = member(org_a, Role.OPERATOR)
    second = Membership.objects.create(organization=org_b, user=user, role=Role.CASHIER)
    client.force_login(user)
    # The header's switcher names both organizations: the page's heading tells which one is active.
    page = client.get(reverse("tenancy:organization_detail")).content.decode()
    assert "<h1>Center A</h1>" in page

    client.post(reverse("core:organization_switch"), {"membership": second.pk})

    page = client.get(reverse("tenancy:organization_detail")).content.decode()
    assert "<h1>Enterprise B</h1>" in page
    assert "<h1>Center A</h1>" not in page


def test_monitor_sees_aggregates_over_their_region(org_a, member, client):
    from khizmat.tenancy.tests.factories import OrganizationFactory

    OrganizationFactory(region=org_a.region, country=org_a.country, name="Neighbour center")
    monitor = member(org_a, Role.MONITOR)
    membership = monitor.memberships.get()
    membership.coverage_region = org_a.region
    membership.save()
    client.force_login(monitor)

    page = client.get(reverse("core:monitoring"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Neighbour center" in page
    assert "You oversee 2 organizations." in page


def test_monitoring_names_regions_in_the_readers_language(org_a, member, client):
    org_a.region.name_ru = "Джизакская область"
    org_a.region.save()
    monitor = member(org_a, Role.MONITOR, language="ru")
    monitor.memberships.update(coverage_country=org_a.country)
    client.force_login(monitor)

    page = client.get(reverse("core:monitoring")).content.decode()

    assert "Джизакская область" in page


def test_staff_filter_answers_htmx_with_the_table_only(org_a, member, client):
    member(org_a, Role.CASHIER, last_name="Yusupova")
    member(org_a, Role.OPERATOR, last_name="Rahimov")
    client.force_login(member(org_a, Role.MANAGER))

    response = client.get(reverse("tenancy:membership_list"), {"q": "Юсупова"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "Yusupova" in body
    assert "Rahimov" not in body
    assert "<html" not in body


# --- A monitor's coverage: never wider than the organization's own ----------------------------------------------


def _add_monitor(admin, organization, coverage=""):
    return services.membership_create(
        actor=admin,
        organization=organization,
        username="new.monitor",
        first_name="A",
        last_name="B",
        role=Role.MONITOR,
        password="a-long-enough-passphrase",
        coverage=coverage,
    )


def test_a_new_monitor_sees_what_the_organization_oversees_not_the_country(org_a, admin_a):
    from khizmat.tenancy.models import Oversight
    from khizmat.tenancy.selectors import organization_ids_visible_to_membership
    from khizmat.tenancy.tests.factories import OrganizationFactory

    overseen = OrganizationFactory(region=org_a.region, country=org_a.country)
    OrganizationFactory(region=org_a.region, country=org_a.country)  # not overseen by org_a
    Oversight.objects.create(overseer=org_a, overseen=overseen, kind="branch")

    membership = _add_monitor(admin_a, org_a)

    assert membership.coverage_country is None and membership.coverage_region is None
    assert organization_ids_visible_to_membership(membership) == sorted([org_a.pk, overseen.pk])
    for coverage in ("region", "country"):
        with pytest.raises(DomainError) as error:
            services.membership_update(
                actor=admin_a, membership=membership, role=Role.MONITOR, is_active=True, coverage=coverage
            )
        assert error.value.code == "coverage_too_wide"
    membership.refresh_from_db()
    assert membership.coverage_country is None and membership.coverage_region is None


def test_an_organization_overseeing_its_whole_region_may_give_the_region(org_a, admin_a, client):
    from khizmat.tenancy.models import Oversight
    from khizmat.tenancy.tests.factories import OrganizationFactory

    overseen = OrganizationFactory(region=org_a.region, country=org_a.country)
    Oversight.objects.create(overseer=org_a, overseen=overseen, kind="branch")
    client.force_login(admin_a)
    form = {
        "last_name": "B",
        "first_name": "A",
        "username": "region.monitor",
        "role": Role.MONITOR,
        "language": "en",
        "password": "a-long-enough-passphrase",
    }
    OrganizationFactory(country=org_a.country)  # elsewhere in the country, not overseen
    refused = client.post(
        reverse("tenancy:membership_add"), {**form, "coverage": "country"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        "A monitor can watch only the organizations that this organization oversees."
        in refused.content.decode()
    )
    assert not Membership.objects.filter(user__username="region.monitor").exists()

    response = client.post(reverse("tenancy:membership_add"), {**form, "coverage": "region"})

    assert response.status_code == 302
    assert Membership.objects.get(user__username="region.monitor").coverage_region == org_a.region
