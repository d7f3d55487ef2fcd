"""``khizmat demo`` builds the pilot sites once, however often it runs, and every demo login works (on the demo the
session shares: khizmat.testing.demo)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from khizmat.core.demo import DEMO_PASSWORD
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.models import District, Membership, Organization, Oversight, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled


def test_it_builds_the_pilot_sites(demo_data, db):
    centers = Organization.objects.filter(kind=OrganizationKind.SERVICE_CENTER).select_related("district")
    assert {center.code: center.district.name_en for center in centers} == {
        "bakhmal": "Bakhmal district",
        "sariosiyo": "Sariosiyo district",
        "dehkanabad": "Dehkanabad district",
        "xovos": "Khavos district",
        "nurafshon": "Nurafshon city",
    }
    assert "Xavos" in District.objects.get(code="XOV").aliases.splitlines()
    enterprise = Organization.objects.get(code="ynguuluu-shart")
    assert enterprise.kind == OrganizationKind.MUNICIPAL_ENTERPRISE
    assert enterprise.name_ky == "«Ыңгайлуу шарт» муниципалдык ишканасы"
    assert enterprise.country.code == "KG"
    assert Organization.objects.get(code="toktogul-mayor").kind == OrganizationKind.TOWN_GOVERNMENT
    assert set(
        Organization.objects.filter(kind=OrganizationKind.AIYL_OKMOTU).values_list("code", flat=True)
    ) == {"tepke-ao", "kyzyl-suu-ao"}
    assert set(
        Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT).values_list("code", flat=True)
    ) == {"eu-undp", "sdc-helvetas"}
    assert Oversight.objects.filter(overseer__code="toktogul-mayor", overseen=enterprise).exists()

    with scopes_disabled():
        for organization in Organization.objects.all():
            roles = sorted(
                Membership.objects.filter(organization=organization).values_list("role", flat=True)
            )
            assert roles == sorted(Role.values), organization.code
        monitor = Membership.objects.get(user__username="dxa-jizzakh.monitor")
        assert monitor.coverage_region.code == "JZ"
        assert Membership.objects.get(user__username="eu-undp.monitor").coverage_country.code == "UZ"


def test_a_second_run_adds_nothing(demo_data, db):
    assert demo_data.added_by_second_run() == {}
    assert demo_data.second["tenancy.Organization"] == 18
    assert demo_data.second["tenancy.User"] == 18 * len(Role) + 1


def test_every_demo_login_works(demo_data, db):
    for username in ("bakhmal.operator", "ynguuluu-shart.cashier", "eu-undp.monitor", "admin"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD), username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    with scopes_disabled():
        assert not Membership.objects.filter(user=admin).exists()


@pytest.mark.django_db
def test_it_refuses_a_production_server_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo", "--quiet")


def test_each_demo_login_lands_on_its_role_home_page_in_every_language(demo_data, client, db, settings):
    settings.TWO_FACTOR_REQUIRED = (
        False  # as `make run` serves the demo: its managers sign in with the password
    )
    for role in Role.values:
        client.logout()
        response = client.post(
            reverse("login"), {"username": f"bakhmal.{role}", "password": DEMO_PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("core:home"), role
        assert response.context["membership"].role == role
        for language in ("ky", "uz", "uz-cyrl", "ru", "en"):
            client.post(reverse("core:language_set"), {"language": language})
            page = client.get(reverse("core:home"))
            assert page.status_code == 200, (role, language)
            assert page["Content-Language"] == language
            with translation.override(language):
                assert translation.gettext("What to do next") in page.content.decode(), (role, language)
