"""Search folds Kyrgyz as it folds Uzbek: recompute the applicants' stored search keys (name and ID number)."""

from django.db import migrations


def refresh(apps, schema_editor):
    from khizmat.core.search_refresh import refresh_search_keys

    refresh_search_keys(
        apps.get_model("services", "Application"), lambda row: [row.applicant_name, row.applicant_id_number]
    )


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
