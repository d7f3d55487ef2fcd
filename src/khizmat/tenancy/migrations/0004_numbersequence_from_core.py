# NumberSequence moves from core (plumbing, which imports no domain app) to tenancy. Only Django's state moves:
# the table keeps its name (core_numbersequence), its rows, indexes and constraint. The content type (and so the
# admin's permissions on it) is renamed rather than left stale.

import django.db.models.deletion
from django.db import migrations, models


def rename_content_type(app_from, app_to):
    def rename(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label=app_from, model="numbersequence").update(app_label=app_to)

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0003_driver_role"),
        ("core", "0001_number_sequence"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NumberSequence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=100, verbose_name="key")),
                        ("last_value", models.PositiveBigIntegerField(default=0, verbose_name="last value")),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="tenancy.organization",
                                verbose_name="organization",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "number sequence",
                        "verbose_name_plural": "number sequences",
                        "db_table": "core_numbersequence",
                        "constraints": [
                            models.UniqueConstraint(fields=("organization", "key"), name="numbersequence_unique_key")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type("core", "tenancy"), rename_content_type("tenancy", "core")),
    ]
