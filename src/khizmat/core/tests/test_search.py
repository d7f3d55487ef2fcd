"""Search by person or place name across Cyrillic and Latin spellings."""

from alifbo import to_cyrillic
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from khizmat.core.search import search_key, search_keys
from khizmat.tenancy.roles import Role
from khizmat.tenancy.selectors import people_search, place_search
from khizmat.tenancy.tests.factories import DistrictFactory, OrganizationFactory, SettlementFactory


def test_cyrillic_finds_latin_and_english_spellings():
    assert search_key("Бахмал") == search_key("Baxmal") == search_key("Bakhmal")
    assert search_key("Gʻallaorol") == search_key("G'allaorol") == search_key("Ғаллаорол")
    assert search_key("Ўзбекистон") == search_key("Oʻzbekiston")
    assert search_key("Ысык-Көл") == search_key("Ysyk-Köl")  # "Issyk-Kul" is kept as an alias
    assert search_key("Жалал-Абад") == search_key("Jalal-Abad") == search_key("Джалал-Абад")


def test_different_names_stay_different():
    assert search_key("Бахмал") != search_key("Зомин")
    assert search_keys("Xovos", "Ховос") == "|xovos|"


UZBEK_LATIN_WORD = st.text(alphabet="abdefghijklmnopqrstuvxyz", min_size=1, max_size=12)


@given(st.lists(UZBEK_LATIN_WORD, min_size=1, max_size=3).map(" ".join))
def test_uzbek_latin_and_its_cyrillic_have_one_key(text):
    assert search_key(to_cyrillic(text).text) == search_key(text)


def test_place_search_matches_across_scripts(db):
    district = DistrictFactory(name="Baxmal tumani", name_uz_cyrl="Бахмал тумани", name_en="Bakhmal district")
    SettlementFactory(district=district, name="Usmat")
    OrganizationFactory(name="Baxmal tumani Davlat xizmatlari markazi")

    for query in ("Бахмал", "baxmal", "BAKHMAL"):
        results = place_search(query=query)
        assert [d.pk for d in results["districts"]] == [district.pk], query
        assert len(results["organizations"]) == 1


def test_known_other_spellings_are_found(db):
    district = DistrictFactory(name="Xovos tumani", aliases="Xavos\nХавос\nKhavast")
    assert [d.pk for d in place_search(query="Хавос")["districts"]] == [district.pk]


def test_people_search_matches_cyrillic_and_latin_names(org_a, org_b, member):
    member(org_a, Role.OPERATOR, first_name="Шохрух", last_name="Каримов")
    member(org_b, Role.OPERATOR, first_name="Karim", last_name="Karimov")

    found = people_search(organization_ids=[org_a.pk], query="Karimov")

    assert [m.user.first_name for m in found] == ["Шохрух"]


def test_search_page_shows_people_only_to_staff_viewers(org_a, member, client):
    member(org_a, Role.OPERATOR, first_name="Дилноза", last_name="Каримова")
    client.force_login(member(org_a, Role.MANAGER))
    assert "Каримова" in client.get(reverse("core:search"), {"q": "karimova"}).content.decode()

    client.force_login(member(org_a, Role.OPERATOR))
    assert "Каримова" not in client.get(reverse("core:search"), {"q": "karimova"}).content.decode()


def test_search_page_answers_htmx_with_the_results_only(org_a, member, client):
    DistrictFactory(name="Baxmal tumani")
    client.force_login(member(org_a, Role.OPERATOR))

    response = client.get(reverse("core:search"), {"q": "Бахмал"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "Baxmal tumani" in body
    assert "<html" not in body
