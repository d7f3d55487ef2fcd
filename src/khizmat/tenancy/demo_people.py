"""Uzbek people and streets for demo and generated data: applicants at service centers (services), subscribers of
a utility (billing). Names in Uzbek Latin; PINFLs with a valid check digit."""

import datetime
import random

from khizmat.tenancy.validators import pinfl_check_digit

FIRST_NAMES = (
    [
        "Dilnoza",
        "Gulnora",
        "Malika",
        "Nodira",
        "Shahnoza",
        "Zulfiya",
        "Feruza",
        "Mohira",
        "Sevara",
        "Madina",
        "Nilufar",
        "Dildora",
        "Gulchehra",
        "Mavluda",
        "Munisa",
        "Zarina",
        "Kamola",
        "Oydin",
        "Barno",
        "Sitora",
        "Laylo",
        "Maftuna",
        "Nargiza",
        "Shoira",
        "Dilfuza",
        "Xurshida",
        "Mahliyo",
        "Gulbahor",
        "Ozoda",
        "Yulduz",
    ],
    [
        "Jasur",
        "Bekzod",
        "Sardor",
        "Otabek",
        "Aziz",
        "Ulugʻbek",
        "Sanjar",
        "Javlon",
        "Doniyor",
        "Shohruh",
        "Jamshid",
        "Sherzod",
        "Dilshod",
        "Bobur",
        "Abdulla",
        "Akmal",
        "Rustam",
        "Farrux",
        "Islom",
        "Mirjalol",
        "Oybek",
        "Nodir",
        "Zafar",
        "Alisher",
        "Komil",
        "Ravshan",
        "Toʻlqin",
        "Gʻayrat",
        "Xurshid",
        "Asilbek",
    ],
)
SURNAMES = [
    "Karimov",
    "Yusupov",
    "Rahimov",
    "Tursunov",
    "Nazarov",
    "Ergashev",
    "Saidov",
    "Qodirov",
    "Mirzayev",
    "Xolmatov",
    "Abdullayev",
    "Aliyev",
    "Toshmatov",
    "Usmonov",
    "Sobirov",
    "Hasanov",
    "Joʻrayev",
    "Boboyev",
    "Sultonov",
    "Ismoilov",
    "Normatov",
    "Qurbonov",
    "Haydarov",
    "Umarov",
    "Yoʻldoshev",
    "Mahmudov",
    "Islomov",
    "Murodov",
    "Rashidov",
    "Toʻxtayev",
    "Eshmatov",
    "Hamroyev",
    "Nurmatov",
    "Shukurov",
    "Gʻofurov",
    "Salimov",
]
FATHERS = [
    "Rustam",
    "Bahodir",
    "Sherzod",
    "Akmal",
    "Anvar",
    "Farrux",
    "Jamshid",
    "Olim",
    "Shavkat",
    "Ilhom",
    "Baxtiyor",
    "Erkin",
    "Hamid",
    "Ikrom",
    "Karim",
    "Mansur",
    "Nurmat",
    "Odil",
    "Poʻlat",
    "Rahim",
    "Salim",
    "Tohir",
    "Umar",
    "Vohid",
    "Hasan",
    "Yusuf",
    "Zokir",
    "Gʻulom",
    "Shuhrat",
    "Alisher",
    "Ravshan",
    "Ulugʻbek",
    "Oybek",
    "Dilshod",
]
STREETS = [
    "Mustaqillik",
    "Navroʻz",
    "Amir Temur",
    "Alisher Navoiy",
    "Bogʻbon",
    "Guliston",
    "Yoshlik",
    "Istiqlol",
    "Doʻstlik",
    "Bunyodkor",
    "Mehnat",
    "Paxtakor",
    "Bahor",
    "Olmazor",
    "Tinchlik",
    "Zarafshon",
    "Oqtepa",
    "Mirzo Ulugʻbek",
    "Bobur",
    "Nurli yoʻl",
]
MOBILE_CODES = ["90", "91", "93", "94", "97", "99"]


def uzbek_person(rng: random.Random, today: datetime.date, ages: tuple[int, int], districts: list[str]):
    """Name (surname, first name, patronymic), PINFL and age of an adult registered in Uzbekistan."""
    male = rng.random() < 0.55
    first = rng.choice(FIRST_NAMES[male])
    surname = rng.choice(SURNAMES) + ("" if male else "a")
    father = rng.choice(FATHERS)
    if rng.random() < 0.12:
        patronymic = f"{father} {'oʻgʻli' if male else 'qizi'}"
    else:
        patronymic = father + ("ovich" if male else "ovna")
    born = today - datetime.timedelta(days=rng.randint(ages[0] * 365 + 10, ages[1] * 365 + 360))
    century = 0 if born.year < 2000 else 2
    first_digit = 3 + century + (0 if male else 1)
    district = rng.choice(districts) if rng.random() < 0.85 else f"{rng.randint(10, 299):03d}"
    first13 = f"{first_digit}{born:%d%m%y}{district}{rng.randint(1, 999):03d}"
    pinfl = first13 + str(pinfl_check_digit(first13))
    return f"{surname} {first} {patronymic}", pinfl, (today - born).days // 365
