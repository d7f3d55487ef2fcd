"""A trigram index for the application search by applicant, number or ID (PostgreSQL; khizmat.core.trigram)."""

from django.db import migrations

from khizmat.core.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("services", "0003_application_undecided_due_index")]

    operations = trigram_index("services_application", "search_key", "services_application_search_trgm")
