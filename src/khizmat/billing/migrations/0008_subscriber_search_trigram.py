"""A trigram index for the account search by name, street or ID (PostgreSQL; khizmat.core.trigram)."""

from django.db import migrations

from khizmat.core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("billing", "0007_account_months")]

    operations = trigram_index("billing_subscriber", "search_key", "billing_subscriber_search_trgm")
