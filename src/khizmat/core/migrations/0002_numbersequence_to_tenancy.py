# NumberSequence now belongs to tenancy (tenancy 0004 takes over the same table); core keeps no model.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_number_sequence"),
        ("tenancy", "0004_numbersequence_from_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="NumberSequence")],
            database_operations=[],
        ),
    ]
