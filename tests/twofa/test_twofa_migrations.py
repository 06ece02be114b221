"""Migrations 0007-0008: challenges answered locally stop naming a provider, keeping what they need."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User

BEFORE = [("twofa", "0006_audit_event_send_failed"), ("otp_totp", "0003_add_timestamps")]
AFTER = [("twofa", "0008_challenge_local_refs")]


@pytest.mark.django_db(transaction=True)
def test_local_references_move_out_of_provider_ref():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = User.objects.create_user(username="alice")  # accounts stays at its latest
    device = old.get_model("otp_totp", "TOTPDevice").objects.create(
        user_id=user.pk, name="app", confirmed=False
    )
    Challenge = old.get_model("twofa", "Challenge")

    def make(n: int, **fields):
        return Challenge.objects.create(
            user_id=user.pk,
            token_hash=f"{n:064d}",
            expires_at=timezone.now() + timedelta(minutes=10),
            **fields,
        ).pk

    setup = make(
        1, purpose="totp_setup", channel="totp", provider="totp", provider_ref=str(device.pk)
    )
    gone = make(2, purpose="totp_setup", channel="totp", provider="totp", provider_ref="999")
    login = make(3, purpose="login", channel="totp", provider="totp", provider_ref=str(device.pk))
    recovery = make(4, purpose="login", channel="totp", provider="recovery", provider_ref="1")
    sms = make(5, purpose="login", channel="sms", provider="console", provider_ref="nonce$digest")

    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("twofa", "Challenge")
        rows = {
            row["pk"]: row
            for row in new.objects.values("pk", "provider", "provider_ref", "totp_device")
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert rows[setup] == {
        "pk": setup,
        "provider": "",
        "provider_ref": "",
        "totp_device": device.pk,
    }
    for pk in (gone, login, recovery):
        assert rows[pk] == {"pk": pk, "provider": "", "provider_ref": "", "totp_device": None}
    assert rows[sms]["provider_ref"] == "nonce$digest" and rows[sms]["provider"] == "console"
