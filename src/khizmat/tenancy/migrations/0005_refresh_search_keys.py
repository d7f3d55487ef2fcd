"""Search folds Kyrgyz as it folds Uzbek (Жумабаев = Zhumabaev, қ = k, ҳ = h = x): recompute the stored keys of
places, organizations and users."""

from django.db import migrations

LANGUAGES = ("ky", "uz", "uz_cyrl", "ru", "en")


def place_texts(row):
    return [row.name, *(getattr(row, f"name_{suffix}", None) for suffix in LANGUAGES), *row.aliases.splitlines()]


def user_texts(row):
    return [row.first_name, row.last_name, row.patronymic, row.username, f"{row.last_name} {row.first_name}"]


def refresh(apps, schema_editor):
    from khizmat.core.search_refresh import refresh_search_keys

    for name in ("Region", "District", "Settlement", "Organization"):
        refresh_search_keys(apps.get_model("tenancy", name), place_texts)
    refresh_search_keys(apps.get_model("tenancy", "User"), user_texts)


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0004_numbersequence_from_core")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
