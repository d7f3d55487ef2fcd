"""A token's password fingerprint becomes a digest of when the password was set, not of its stored hash (which
changes when the same password is re-hashed with new parameters at a login). Tokens still valid under the old
digest get the new one; the others stay invalid."""

import hashlib

from django.conf import settings
from django.db import migrations


def refingerprint(apps, schema_editor):
    ApiToken = apps.get_model("khizmat_api", "ApiToken")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    tokens = list(ApiToken.objects.all().only("pk", "user_id", "password_fingerprint"))
    users = {
        pk: (password, changed_at)
        for pk, password, changed_at in User.objects.filter(
            pk__in={token.user_id for token in tokens}
        ).values_list("pk", "password", "password_changed_at")
    }
    changed = []
    for token in tokens:
        password, changed_at = users[token.user_id]
        if token.password_fingerprint != hashlib.sha256((password or "").encode()).hexdigest():
            continue  # made under an earlier password: stays refused
        when = changed_at.isoformat() if changed_at else ""
        token.password_fingerprint = hashlib.sha256(f"{token.user_id}:{when}".encode()).hexdigest()
        changed.append(token)
    ApiToken.objects.bulk_update(changed, ["password_fingerprint"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("khizmat_api", "0002_move_drf_tokens"),
        ("tenancy", "0010_user_password_changed_at"),
    ]

    operations = [migrations.RunPython(refingerprint, migrations.RunPython.noop)]
