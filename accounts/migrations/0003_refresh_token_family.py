"""Refresh-token families: one id per login, and rotation kept apart from revocation.

A callable default is evaluated once for all existing rows, which would put
every existing token into one family (a replay would then end every session of
every user); so existing tokens get a family each, then the field gets its
final form. Tokens rotated before this migration are already revoked.
"""

import uuid

from django.db import migrations, models


def give_each_token_its_own_family(apps, schema_editor):
    RefreshToken = apps.get_model("accounts", "RefreshToken")
    for pk in RefreshToken.objects.values_list("pk", flat=True).iterator():
        RefreshToken.objects.filter(pk=pk).update(family=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_auth_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="refreshtoken",
            name="family",
            field=models.UUIDField(null=True),
        ),
        migrations.RunPython(give_each_token_its_own_family, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="refreshtoken",
            name="family",
            field=models.UUIDField(db_index=True, default=uuid.uuid4),
        ),
        migrations.AddField(
            model_name="refreshtoken",
            name="rotated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
