"""provider/provider_ref hold only a delivery provider's verification.

Challenges answered locally used to name a "provider" that sent nothing:
"totp" with a device id, "recovery" with the user's id. An app setup's device
moves to Challenge.totp_device (if it still exists); the rest is cleared.
"""

from django.db import migrations


def local_refs_move(apps, schema_editor):
    Challenge = apps.get_model("twofa", "Challenge")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    setups = Challenge.objects.filter(provider="totp", purpose="totp_setup")
    for challenge in setups.iterator():
        ref = challenge.provider_ref
        if ref.isdigit() and TOTPDevice.objects.filter(pk=int(ref)).exists():
            challenge.totp_device_id = int(ref)
            challenge.save(update_fields=["totp_device"])
    Challenge.objects.filter(provider__in=["totp", "recovery"]).update(provider="", provider_ref="")


class Migration(migrations.Migration):
    # Apart from the schema change: PostgreSQL refuses DDL on a table with
    # pending deferred foreign-key checks from rows updated in the same transaction.
    dependencies = [("twofa", "0007_challenge_totp_device")]

    operations = [migrations.RunPython(local_refs_move, migrations.RunPython.noop)]
