"""Search folds Kyrgyz as it folds Uzbek: recompute the subscribers' stored search keys (``refresh_search_key``)."""

from django.db import migrations


def refresh(apps, schema_editor):
    from khizmat.core.search_refresh import refresh_search_keys

    refresh_search_keys(
        apps.get_model("billing", "Subscriber"),
        lambda row: [row.number, row.holder_name, row.street, row.holder_id_number, row.phone],
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_payment_balance_after")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
