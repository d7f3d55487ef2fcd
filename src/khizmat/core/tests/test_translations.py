"""Our catalogs replace Django's broken Kyrgyz and Uzbek strings and give Uzbek Cyrillic its own month names."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.forms import ClearableFileInput, NullBooleanSelect
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ky", "Enter a valid integer.", "Бүтүн сан жазыңыз."),  # Django: "Туура натурал сан тер."
        ("uz", "Clear", "Tozalash"),  # Django: "Aniq" (the adjective)
        ("uz", "The submitted file is empty.", "Yuborilgan fayl boʻsh."),  # Django: "Yuborilgan etilgan fayl"
        ("ky", "Select a valid choice. That choice is not one of the available choices.", None),
    ],
)
def test_djangos_broken_strings_are_replaced(language, text, expected):
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text
    if expected:
        assert translated == expected


def test_widgets_and_pages_speak_the_interface_language():
    with translation.override("uz-cyrl"):
        assert str(ClearableFileInput.clear_checkbox_label) == "Тозалаш"
        choices = dict(NullBooleanSelect().choices)
        assert choices == {"unknown": "Номаълум", "true": "Ҳа", "false": "Йўқ"}
        with pytest.raises(Exception, match="Саҳифа"):
            Paginator([1], 1).validate_number(0)


def test_uzbek_cyrillic_months_have_no_russian_soft_sign():
    days = [datetime.date(2026, month, 5) for month in range(1, 13)]
    with translation.override("uz-cyrl"):
        shown = {fmt: [date_format(day, fmt) for day in days] for fmt in ("F", "E", "N", "b", "M")}
    assert shown["F"][0] == "Январ" and shown["E"][1] == "феврал" and shown["N"][0] == "Янв."
    for forms in shown.values():
        for form in forms:
            assert "ь" not in form and all(not ("a" <= ch.lower() <= "z") for ch in form), form


@pytest.mark.parametrize("language", ["ky", "uz", "uz-cyrl", "ru"])
def test_the_home_page_does_not_quote_an_organization_name_twice(language):
    name = "«Ыңгайлуу шарт» муниципалдык ишканасы"
    with translation.override(language):
        line = translation.gettext("You work as %(role)s at %(organization)s.") % {
            "role": "x",
            "organization": name,
        }
    for doubled in ("««", "»»", "“«", "»”", '"«', '»"'):
        assert doubled not in line and escape(doubled) not in line, line
