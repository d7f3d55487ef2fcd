"""Five interface languages, switchable from every page and remembered per user."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from khizmat.tenancy.roles import Role

NON_ENGLISH = ["ky", "uz", "uz-cyrl", "ru"]
SHELL_STRINGS = ["Log in", "Log out", "Home", "What to do next", "Change password", "Staff", "Audit trail"]


def test_five_languages_are_offered():
    assert [code for code, _name in settings.LANGUAGES] == ["ky", "uz", "uz-cyrl", "ru", "en"]


@pytest.mark.parametrize("language", NON_ENGLISH)
@pytest.mark.parametrize("text", SHELL_STRINGS)
def test_shell_strings_are_really_translated(language, text):
    with translation.override(language):
        assert translation.gettext(text) != text


@pytest.mark.parametrize("text", [*SHELL_STRINGS, "This field is required."])
def test_uzbek_cyrillic_is_cyrillic(text):
    with translation.override("uz-cyrl"):
        translated = translation.gettext(text)
    letters = [ch for ch in translated if ch.isalpha()]
    assert sum("\u0400" <= ch <= "\u04ff" for ch in letters) > len(letters) / 2, translated


def test_form_errors_show_in_the_chosen_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uz-cyrl"
    response = client.post(reverse("login"), {"username": "", "password": ""})
    with translation.override("uz-cyrl"):
        required = translation.gettext("This field is required.")
    assert required in response.content.decode()


def test_switching_language_is_remembered_for_the_user(org_a, member, client):
    user = member(org_a, Role.OPERATOR)
    client.force_login(user)

    response = client.post(reverse("core:language_set"), {"language": "ky", "next": reverse("core:home")})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "ky"
    client.cookies.clear()
    client.force_login(user)
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "ky"
    with translation.override("ky"):
        assert translation.gettext("What to do next") in page.content.decode()


def test_language_switch_before_login_sets_a_cookie(client, db):
    response = client.post(reverse("core:language_set"), {"language": "ru", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert client.get(reverse("login"))["Content-Language"] == "ru"


def test_unknown_language_and_foreign_redirects_are_ignored(org_a, member, client):
    user = member(org_a, Role.OPERATOR)
    client.force_login(user)
    response = client.post(reverse("core:language_set"), {"language": "xx", "next": "https://evil.example/"})
    assert response.url == "/"
    user.refresh_from_db()
    assert user.language == ""


@pytest.mark.parametrize("language", ["ky", "uz", "uz-cyrl", "ru", "en"])
@pytest.mark.parametrize("role", Role.values)
def test_every_role_home_page_renders_in_every_language(language, role, org_a, member, client):
    client.force_login(member(org_a, role, language=language))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response["Content-Language"] == language
