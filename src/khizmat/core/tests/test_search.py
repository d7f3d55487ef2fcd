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


def test_kyrgyz_and_russian_spellings_fold_as_uzbek_ones():
    assert (
        search_key("Жумабаев")
        == search_key("Jumabaev")
        == search_key("Zhumabaev")
        == search_key("Dzhumabaev")
    )
    assert search_key("Джизак") == search_key("Dzhizak") == search_key("Jizak")
    assert search_key("Жиззах") == search_key("Jizzax") == search_key("Jizzakh")
    assert search_key("Үсөн") == search_key("Usön") == search_key("Uson")
    assert search_key("Ыңгайлуу") == search_key("Yngayluu")
    assert search_key("Қосимов") == search_key("Qosimov") == search_key("Косимов")
    assert search_key("Ҳасанов") == search_key("Hasanov") == search_key("Khasanov") == search_key("Хасанов")
    assert search_key("Мирзаев") == search_key("Mirzayev") == search_key("Mirzaev")
    assert search_key("Шохрух") == search_key("Shohruh") == search_key("Shokhrukh")


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


def test_a_region_is_found_by_its_russian_uzbek_and_english_names(db):
    from khizmat.tenancy.tests.factories import RegionFactory

    region = RegionFactory(name="Jizzax viloyati", name_ru="Джизакская область", name_en="Jizzakh region")
    for query in ("Джизак", "Dzhizak", "Jizzax", "Жиззах"):
        assert region in place_search(query=query)["regions"], query


def test_people_are_found_whatever_the_order_of_their_names(org_a, member):
    member(org_a, Role.OPERATOR, first_name="Айгүл", last_name="Жумабаева")
    for query in ("Жумабаева Айгүл", "Aigul Zhumabaeva", "aygul jumabaeva", "Jumabaeva"):
        assert [m.user.first_name for m in people_search(organization_ids=[org_a.pk], query=query)] == [
            "Айгүл"
        ]


def test_the_exact_name_comes_before_longer_names_that_contain_it(org_a, member):
    for index in range(25):  # a common name: more than a page of "Karimov..." colleagues
        member(org_a, Role.OPERATOR, first_name=f"Anvar{index}", last_name="Abdukarimova")
    member(org_a, Role.OPERATOR, first_name="Shoxrux", last_name="Karimov")
    member(org_a, Role.OPERATOR, first_name="Dilnoza", last_name="Karimova")
    found = people_search(organization_ids=[org_a.pk], query="Karimov", limit=20)
    assert [m.user.first_name for m in found[:2]] == ["Shoxrux", "Dilnoza"]


def test_stored_keys_are_recomputed_after_the_folding_changed(org_a, member):
    import importlib

    from django.apps import apps

    from khizmat.tenancy.models import User

    user = member(org_a, Role.OPERATOR, first_name="Айгүл", last_name="Жумабаева")
    User.objects.filter(pk=user.pk).update(search_key="|stale|")
    importlib.import_module("khizmat.tenancy.migrations.0005_refresh_search_keys").refresh(apps, None)
    user.refresh_from_db()
    assert search_key("Zhumabaeva") in user.search_key


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
