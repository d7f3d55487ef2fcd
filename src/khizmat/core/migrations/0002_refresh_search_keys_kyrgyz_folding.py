"""Search folds Kyrgyz as it folds Uzbek (Жумабаев = Zhumabaev, қ = k, ҳ = h = x): recompute the stored keys."""

from django.db import migrations


def refresh(apps, schema_editor):
    from khizmat.core.search_refresh import refresh_search_keys

    refresh_search_keys(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_number_sequence"),
        ("tenancy", "0003_driver_role"),
        ("services", "0001_initial"),
        ("billing", "0002_report_indexes"),
    ]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
