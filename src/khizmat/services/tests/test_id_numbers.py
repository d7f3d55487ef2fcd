"""Personal ID numbers: PINFL (Uzbekistan) by format, birth date and check digit; Kyrgyz INN by format and date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from khizmat.services.tests.factories import VALID_KG_INN, VALID_PINFL
from khizmat.tenancy.validators import pinfl_check_digit, validate_kyrgyz_pin, validate_phone, validate_pinfl

BIRTH_DATES = st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2020, 12, 31))


def make_pinfl(born: datetime.date, female: bool, region: int, serial: int) -> str:
    first = (3 if born.year < 2000 else 5) + (0 if not female else 1)
    body = f"{first}{born:%d%m}{born.year % 100:02d}{region:03d}{serial:03d}"
    return body + str(pinfl_check_digit(body))


@given(born=BIRTH_DATES, female=st.booleans(), region=st.integers(0, 999), serial=st.integers(0, 999))
def test_well_formed_pinfls_are_accepted(born, female, region, serial):
    number = make_pinfl(born, female, region, serial)
    assert validate_pinfl(number) == number


@given(born=BIRTH_DATES, region=st.integers(0, 999), serial=st.integers(0, 999), bump=st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(born, region, serial, bump):
    number = make_pinfl(born, False, region, serial)
    typo = number[:13] + str((int(number[13]) + bump) % 10)
    with pytest.raises(ValidationError) as error:
        validate_pinfl(typo)
    assert error.value.code == "pinfl_check"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1234", "pinfl_format"),
        ("3150790012345X", "pinfl_format"),
        ("71507900123452", "pinfl_century"),
        ("33102900123452", "pinfl_date"),
    ],
)
def test_malformed_pinfls_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_pinfl(value)
    assert error.value.code == code


def test_spaces_and_dashes_are_ignored():
    assert validate_pinfl("3150 7900 1234-52") == VALID_PINFL


@given(born=BIRTH_DATES, sex=st.sampled_from("12"), serial=st.integers(0, 99999))
def test_kyrgyz_personal_numbers(born, sex, serial):
    number = f"{sex}{born:%d%m%Y}{serial:05d}"
    assert validate_kyrgyz_pin(number) == number


@pytest.mark.parametrize("value", ["31507199000123", "23013199000123", "2150719900012"])
def test_bad_kyrgyz_personal_numbers(value):
    with pytest.raises(ValidationError):
        validate_kyrgyz_pin(value)


def test_kyrgyz_sample_is_valid():
    assert validate_kyrgyz_pin(VALID_KG_INN) == VALID_KG_INN


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [("+998 90 123-45-67", "UZ", "+998901234567"), ("00996555123456", "KG", "+996555123456")],
)
def test_phone_numbers_are_normalized(value, country, expected):
    assert validate_phone(value, country_code=country) == expected


def test_foreign_phone_is_refused():
    with pytest.raises(ValidationError):
        validate_phone("+996555123456", country_code="UZ")
