"""The national portal's directory of organizations: names in the reader's language, and the rendered list kept for
REPORTS_PORTAL_CACHE_SECONDS (the same for every reader of a language), so a busy portal reads it once a minute."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khizmat.reports.tests.factories import ReportTypeFactory
from khizmat.tenancy.tests.factories import OrganizationFactory, RegionFactory


def _portal(client, language):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("reports:portal_index"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    return page.content.decode(), len(captured)


def test_the_directory_is_named_in_the_readers_language(client, db):
    region = RegionFactory(name_en="Jalal-Abad region", name_ru="Джалал-Абадская область")
    organization = OrganizationFactory(
        name_en="Toktogul enterprise", name_ru="Предприятие Токтогул", region=region
    )
    ReportTypeFactory(organization=organization, name_en="Missed pickup", name_ru="Не вывезли мусор")

    english, _ = _portal(client, "en")
    russian, _ = _portal(client, "ru")

    assert "Toktogul enterprise" in english and "Jalal-Abad region" in english and "Missed pickup" in english
    assert "Предприятие Токтогул" in russian and "Джалал-Абадская область" in russian
    assert "Не вывезли мусор" in russian


def test_the_rendered_directory_is_kept_for_a_while_per_language(client, db, settings):
    settings.REPORTS_PORTAL_CACHE_SECONDS = 60
    organization = OrganizationFactory(name="First enterprise", region=RegionFactory())
    ReportTypeFactory(organization=organization)

    first, read = _portal(client, "en")
    later = OrganizationFactory(name="Later enterprise", region=RegionFactory())
    ReportTypeFactory(organization=later)
    again, read_again = _portal(client, "en")
    russian, _ = _portal(client, "ru")

    assert "First enterprise" in first and "First enterprise" in again
    assert "Later enterprise" not in again  # shown once the kept list expires
    assert read_again < read
    assert "Later enterprise" in russian  # each language is rendered (and kept) on its own
