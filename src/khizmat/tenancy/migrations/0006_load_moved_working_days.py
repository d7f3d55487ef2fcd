"""Moved working days (a Saturday or Sunday worked in exchange for a day off, e.g. Saturday 2026-12-12 in Uzbekistan)
for every year whose public holidays are already loaded (data migration).

Databases seeded before the calendar knew these days counted deadlines across such a week one day long. A date an
administrator or the official list already holds is left as it is.
"""

from django.db import migrations

from khizmat.tenancy.holiday_data import SUPPORTED_COUNTRIES, official_days


def load(apps, schema_editor):
    Country = apps.get_model("tenancy", "Country")
    CalendarDay = apps.get_model("tenancy", "CalendarDay")
    for country in Country.objects.filter(code__in=SUPPORTED_COUNTRIES):
        years = sorted(
            {
                day.year
                for day in CalendarDay.objects.filter(country=country, source="holidays").values_list(
                    "date", flat=True
                )
            }
        )
        if not years:
            continue
        taken = set(
            CalendarDay.objects.filter(country=country, date__year__in=years).values_list("date", flat=True)
        )
        CalendarDay.objects.bulk_create(
            CalendarDay(
                country=country,
                date=official.date,
                kind=official.kind,
                source="holidays",
                name=official.names.get("en", ""),
                **{f"name_{suffix}": name for suffix, name in official.names.items()},
            )
            for official in official_days(country.code, years)
            if official.kind == "working_day" and official.date not in taken
        )


def unload(apps, schema_editor):
    apps.get_model("tenancy", "CalendarDay").objects.filter(source="holidays", kind="working_day").delete()


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0005_refresh_search_keys")]

    operations = [migrations.RunPython(load, unload)]
