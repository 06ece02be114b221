"""Retention: `manage.py twofa_prune` deletes finished challenges, old audit
events and the refresh tokens of logins past their absolute expiry, in
batches, and nothing else: pending challenges, recent rows, the send rollups
and the rotated tokens that reuse detection still needs stay. Run it on
PostgreSQL too (DATABASE_URL)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import RefreshToken
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH
from twofa.checks import check_twofa_settings
from twofa.models import AuditEvent, Challenge, RefusalRollup, SendRollup, SendSourceRollup

REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }"
DAY = timedelta(days=1)


def prune(*args) -> str:
    out = StringIO()
    call_command("twofa_prune", *args, stdout=out)
    return out.getvalue()


def challenge(user, *, age_days: float, status: str, live: bool = False) -> Challenge:
    created = timezone.now() - timedelta(days=age_days)
    row = Challenge.objects.create(
        user=user,
        token_hash=f"{age_days}-{status}-{live}",
        purpose=Challenge.Purpose.LOGIN,
        phone_number=PHONE,
        status=status,
        expires_at=(timezone.now() + DAY) if live else created + timedelta(minutes=10),
    )
    Challenge.objects.filter(pk=row.pk).update(created_at=created)
    return row


def audit_event(user, *, age_days: float) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user, kind=AuditEvent.Kind.CODE_SENT, created_at=timezone.now() - age_days * DAY
    )


@pytest.fixture
def history(user):
    """Rows either side of the default retention (30 days of challenges, 365 of audit)."""
    old = [
        challenge(user, age_days=31, status=Challenge.Status.VERIFIED),
        challenge(user, age_days=40, status=Challenge.Status.FAILED),
        challenge(user, age_days=50, status=Challenge.Status.REPLACED),
        challenge(user, age_days=60, status=Challenge.Status.PENDING),  # expired long ago
        audit_event(user, age_days=366),
        audit_event(user, age_days=400),
    ]
    kept = [
        challenge(user, age_days=29, status=Challenge.Status.VERIFIED),
        # Finished-looking by age, but still pending and unexpired: never deleted.
        challenge(user, age_days=45, status=Challenge.Status.PENDING, live=True),
        audit_event(user, age_days=364),
    ]
    SendRollup.objects.create(
        day=date(2020, 1, 1), country="US", provider="console", channel="sms", sent=3
    )
    SendSourceRollup.objects.create(day=date(2020, 1, 1), prefix="+141555", network="x", sent=3)
    RefusalRollup.objects.create(day=date(2020, 1, 1), limit="send", refused=1)
    return old, kept


def present(rows) -> list:
    return [r for r in rows if type(r).objects.filter(pk=r.pk).exists()]


def test_prune_deletes_what_retention_says_and_nothing_else(history):
    old, kept = history

    out = prune()

    assert present(old) == []
    assert present(kept) == kept
    assert "challenges: deleted 4" in out
    assert "audit events: deleted 2" in out
    assert (SendRollup.objects.count(), SendSourceRollup.objects.count()) == (1, 1)
    assert RefusalRollup.objects.count() == 1


def test_a_dry_run_counts_and_deletes_nothing(history):
    old, kept = history

    out = prune("--dry-run")

    assert "challenges: would delete 4" in out
    assert "audit events: would delete 2" in out
    assert present(old + kept) == old + kept


def test_small_batches_delete_the_same_rows(history):
    old, kept = history

    out = prune("--batch-size", "1")

    assert present(old) == [] and present(kept) == kept
    assert "challenges: deleted 4" in out


def test_the_retention_settings_move_the_cut(history, settings):
    old, kept = history
    settings.TWOFA_RETENTION_CHALLENGES_DAYS = 100
    settings.TWOFA_RETENTION_AUDIT_DAYS = 1000

    assert "challenges: deleted 0" in prune()
    assert present(old + kept) == old + kept


def test_expired_logins_go_and_running_ones_stay_whole(gql, user):
    ended = token_pair_issue(user, amr=["pwd"])
    running = token_pair_issue(user, amr=["pwd"])
    ended_family = RefreshToken.objects.order_by("pk").first().family
    RefreshToken.objects.filter(family=ended_family).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    out = prune()

    assert "refresh tokens: deleted 1" in out
    assert not RefreshToken.objects.filter(family=ended_family).exists()
    assert gql(REFRESH, {"r": ended.refresh_token}).codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(REFRESH, {"r": running.refresh_token}).data["refreshToken"]["token"]


def test_a_rotated_token_replayed_after_a_prune_still_ends_its_login(gql, user):
    stolen = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    first = gql(REFRESH, {"r": stolen["refreshToken"]}).data["refreshToken"]["refreshToken"]
    current = gql(REFRESH, {"r": first}).data["refreshToken"]["refreshToken"]
    # Past the two-tabs leeway, and past every retention period but the login's own.
    RefreshToken.objects.update(
        rotated_at=timezone.now() - timedelta(minutes=5),
        created_at=timezone.now() - 400 * DAY,
    )

    assert "refresh tokens: deleted 0" in prune()

    assert gql(REFRESH, {"r": stolen["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert gql(REFRESH, {"r": current}).codes == ["INVALID_REFRESH_TOKEN"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REFRESH_TOKEN_REUSED).count() == 1


@pytest.mark.parametrize("name", ["TWOFA_RETENTION_CHALLENGES_DAYS", "TWOFA_RETENTION_AUDIT_DAYS"])
def test_a_retention_of_zero_days_is_refused(settings, name):
    setattr(settings, name, 0)

    assert any(name in e.msg for e in check_twofa_settings(None))
