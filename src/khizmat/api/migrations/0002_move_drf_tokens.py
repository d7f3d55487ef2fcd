"""Existing keys of DRF's ``authtoken`` keep working: each becomes an ApiToken (hash only), then that table goes."""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone

TABLE = "authtoken_token"


def move_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("khizmat_api", "ApiToken")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "key", user_id, created FROM {TABLE}')  # noqa: S608 - a constant
        rows = cursor.fetchall()
    passwords = dict(User.objects.filter(pk__in=[row[1] for row in rows]).values_list("pk", "password"))
    expires = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="API token",
            prefix=key[:8],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            password_fingerprint=hashlib.sha256((passwords.get(user_id) or "").encode()).hexdigest(),
            created_at=created,
            expires_at=expires,
        )
        for key, user_id, created in rows
        if user_id in passwords
    )
    schema_editor.execute(f"DROP TABLE {TABLE}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [("khizmat_api", "0001_api_token")]

    operations = [migrations.RunPython(move_tokens, migrations.RunPython.noop)]
