"""Uzbekistan and Kyrgyzstan, with their public holidays for 2025–2027 (data migration).

Later years: ``khizmat load_holidays --year 2028``. Administrators add decree-moved days in the admin.
"""

from django.db import migrations

from khizmat.tenancy.holiday_data import official_days

COUNTRIES = [
    {
        "code": "UZ",
        "currency": "UZS",
        "time_zone": "Asia/Tashkent",
        "phone_prefix": "+998",
        "weekend_days": "5,6",
        "names": {"en": "Uzbekistan", "ru": "Узбекистан", "uz": "Oʻzbekiston", "uz_cyrl": "Ўзбекистон", "ky": "Өзбекстан"},
    },
    {
        "code": "KG",
        "currency": "KGS",
        "time_zone": "Asia/Bishkek",
        "phone_prefix": "+996",
        "weekend_days": "5,6",
        "names": {"en": "Kyrgyzstan", "ru": "Кыргызстан", "uz": "Qirgʻiziston", "uz_cyrl": "Қирғизистон", "ky": "Кыргызстан"},
    },
]
YEARS = [2025, 2026, 2027]


def seed(apps, schema_editor):
    Country = apps.get_model("tenancy", "Country")
    CalendarDay = apps.get_model("tenancy", "CalendarDay")
    for data in COUNTRIES:
        names = data["names"]
        country, _created = Country.objects.update_or_create(
            code=data["code"],
            defaults={
                "currency": data["currency"],
                "time_zone": data["time_zone"],
                "phone_prefix": data["phone_prefix"],
                "weekend_days": data["weekend_days"],
                "name": names["en"],
                **{f"name_{suffix}": name for suffix, name in names.items()},
            },
        )
        days = []
        for official in official_days(data["code"], YEARS):
            if CalendarDay.objects.filter(country=country, date=official.date).exists():
                continue
            days.append(
                CalendarDay(
                    country=country,
                    date=official.date,
                    kind=official.kind,
                    source="holidays",
                    name=official.names.get("en", ""),
                    **{f"name_{suffix}": name for suffix, name in official.names.items()},
                )
            )
        CalendarDay.objects.bulk_create(days)


def unseed(apps, schema_editor):
    apps.get_model("tenancy", "CalendarDay").objects.filter(source="holidays", date__year__in=YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
