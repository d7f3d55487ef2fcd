"""The field rules themselves: phones as people write them, amounts and dates within sane bounds."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from khizmat.core.fieldrules import check_amount, check_date, normalize_phone, phone_candidates


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("0555 12 34 56", "KG", "+996555123456"),
        ("(0555) 123456", "KG", "+996555123456"),
        ("0555-12-34-56", "KG", "+996555123456"),
        ("555 123 456", "KG", "+996555123456"),
        ("+996 (700) 12-34-56", "KG", "+996700123456"),
        ("00996555123456", "KG", "+996555123456"),
        ("996555123456", "KG", "+996555123456"),
        ("901234563", "UZ", "+998901234563"),
        ("998901234563", "UZ", "+998901234563"),
        ("+998 90 123-45-63", "UZ", "+998901234563"),
        ("(90) 123 45 63", "UZ", "+998901234563"),
        ("", "KG", ""),
    ],
)
def test_phones_are_stored_in_one_form(typed, country, stored):
    assert normalize_phone(typed, country_code=country) == stored


@pytest.mark.parametrize(
    ("typed", "country"),
    [
        ("hello", "KG"),
        ("abc", "UZ"),
        ("12345", "UZ"),
        ("0555 12 34 5", "KG"),  # a digit short
        ("+7 999 123 45 67", "KG"),  # not a number the organization's gateway reaches
        ("+996555123456", "UZ"),
        ("0901234563", "UZ"),  # no trunk 0 in Uzbekistan
    ],
)
def test_what_is_no_phone_of_the_country_is_refused_with_the_format(typed, country):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed, country_code=country)
    assert error.value.code == "phone"
    assert "+99" in " ".join(error.value.messages)


def test_without_a_country_every_reading_is_a_candidate():
    assert phone_candidates("901234563") == ["+998901234563"]
    assert set(phone_candidates("555 123 456")) == {"+996555123456", "+998555123456"}
    assert phone_candidates("hello") == []


@pytest.mark.parametrize("value", ["0", "-1", "0.001", "10000000000", "abc", "NaN"])
def test_bad_amounts_are_refused(value):
    with pytest.raises(ValidationError):
        check_amount(value)


def test_amounts_keep_two_places():
    assert check_amount("1500.5") == Decimal("1500.50")
    assert check_amount("0", allow_zero=True) == Decimal("0.00")
    assert check_amount("-3", allow_negative=True) == Decimal("-3.00")


@pytest.mark.parametrize("day", [datetime.date(1024, 1, 1), datetime.date(2224, 1, 1), "2024-02-30"])
def test_impossible_or_absurd_dates_are_refused(day):
    with pytest.raises(ValidationError):
        check_date(day)


def test_plausible_dates_pass():
    assert check_date("2024-02-29") == datetime.date(2024, 2, 29)
    assert check_date(None) is None
