"""The challenge's lifecycle rules, one at a time, on the model that keeps them."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from twofa.exceptions import CodeExpired, TooManyAttempts
from twofa.models import Challenge


@pytest.fixture
def challenge(user):
    return Challenge.objects.create(
        user=user,
        token_hash="0" * 64,
        purpose=Challenge.Purpose.LOGIN,
        channel="totp",
        provider="totp",
        provider_ref="1",
        last_sent_at=None,
        expires_at=timezone.now() + timedelta(minutes=10),
    )


def test_a_challenge_that_sent_nothing_may_send_at_once_but_only_once(challenge):
    assert challenge.claim_send_slot(cooldown=30) is True
    # A second caller holding the same stale row loses: the condition is re-read in the UPDATE.
    stale = Challenge.objects.get(pk=challenge.pk)
    stale.last_sent_at = None
    assert stale.claim_send_slot(cooldown=30) is False
    assert 1 <= stale.send_wait(cooldown=30) <= 30


def test_the_slot_opens_again_after_the_cooldown(challenge):
    Challenge.objects.filter(pk=challenge.pk).update(
        last_sent_at=timezone.now() - timedelta(seconds=31)
    )
    assert challenge.claim_send_slot(cooldown=30) is True
    assert challenge.claim_send_slot(cooldown=30) is False


def test_a_finished_challenge_has_no_slot(challenge):
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.VERIFIED)
    assert challenge.claim_send_slot(cooldown=0) is False


def test_live_codes_to_a_number_are_pending_unexpired_and_sent(user):
    def make(**fields) -> Challenge:
        values = {
            "user": user,
            "token_hash": f"{Challenge.objects.count() + 1:064d}",
            "purpose": Challenge.Purpose.LOGIN,
            "phone_number": "+14155552671",
            "channel": "sms",
            "provider": "console",
            "provider_ref": "nonce$digest",
            "expires_at": timezone.now() + timedelta(minutes=10),
        } | fields
        return Challenge.objects.create(**values)

    live = make()
    make(provider_ref="")  # nothing was sent
    make(expires_at=timezone.now() - timedelta(seconds=1))
    make(status=Challenge.Status.VERIFIED)
    make(phone_number="+14155550123")
    make(channel="totp", provider="totp", provider_ref="1")

    assert list(Challenge.objects.live_codes_to("+14155552671")) == [live]


@pytest.fixture
def sent(user):
    """A login challenge whose code went out by SMS through the console provider."""
    return Challenge.objects.create(
        user=user,
        token_hash="1" * 64,
        purpose=Challenge.Purpose.LOGIN,
        phone_number="+14155552671",
        channel="sms",
        provider="console",
        provider_ref="nonce$digest",
        last_sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(minutes=10),
    )


def test_reserve_attempt_counts_one_and_refuses_past_the_limit(sent):
    for expected in (1, 2):
        assert sent.reserve_attempt(max_attempts=2).attempts == expected
    with pytest.raises(TooManyAttempts):
        sent.reserve_attempt(max_attempts=2)
    assert Challenge.objects.get(pk=sent.pk).attempts == 2


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"status": Challenge.Status.FAILED}, TooManyAttempts),
        ({"status": Challenge.Status.REPLACED}, CodeExpired),
        ({"status": Challenge.Status.VERIFIED}, CodeExpired),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, CodeExpired),
    ],
)
def test_reserve_attempt_rereads_the_row_a_stale_copy_came_from(sent, change, error):
    Challenge.objects.filter(pk=sent.pk).update(**change)
    with pytest.raises(error):
        sent.reserve_attempt(max_attempts=5)
    assert Challenge.objects.get(pk=sent.pk).attempts == 0


def test_release_attempt_gives_one_back_and_never_goes_below_zero(sent):
    sent.reserve_attempt(max_attempts=5)
    sent.release_attempt()
    sent.release_attempt()
    assert Challenge.objects.get(pk=sent.pk).attempts == 0


def test_mark_verified_wins_once(sent):
    stale = Challenge.objects.get(pk=sent.pk)
    assert sent.mark_verified() is True
    assert stale.mark_verified() is False
    assert Challenge.objects.get(pk=sent.pk).status == Challenge.Status.VERIFIED


def test_a_code_from_before_a_resend_cannot_mark_verified(sent):
    before_resend = Challenge.objects.get(pk=sent.pk)
    assert sent.record_send(provider="console", ref="new$ref", channel="call", number="+1") is True
    assert before_resend.mark_verified() is False
    assert Challenge.objects.get(pk=sent.pk).status == Challenge.Status.PENDING


def test_mark_failed_moves_only_a_pending_challenge(sent):
    stale = Challenge.objects.get(pk=sent.pk)
    assert sent.mark_verified() is True
    assert stale.mark_failed() is False
    assert Challenge.objects.get(pk=sent.pk).status == Challenge.Status.VERIFIED


def test_record_send_refuses_a_challenge_that_ended(sent):
    sent.mark_failed()
    assert sent.record_send(provider="console", ref="x$y", channel="sms", number="+1") is False
    assert Challenge.objects.get(pk=sent.pk).provider_ref == "nonce$digest"


def test_replace_pending_ends_pending_ones_and_names_the_codes_to_close(sent, challenge):
    done = Challenge.objects.create(
        user=sent.user,
        token_hash="2" * 64,
        purpose=Challenge.Purpose.LOGIN,
        phone_number="+14155552671",
        provider="console",
        provider_ref="old$ref",
        status=Challenge.Status.VERIFIED,
        expires_at=timezone.now() + timedelta(minutes=10),
    )

    to_close = Challenge.objects.filter(user=sent.user).replace_pending()

    # The app challenge sent nothing, so only the SMS code is closed at its provider.
    assert to_close == [("console", "nonce$digest")]
    statuses = dict(Challenge.objects.values_list("pk", "status"))
    assert statuses == {
        sent.pk: Challenge.Status.REPLACED,
        challenge.pk: Challenge.Status.REPLACED,
        done.pk: Challenge.Status.VERIFIED,
    }


# --- The same rules under concurrency (PostgreSQL: SQLite serialises every writer) ---

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


def race(actions: list) -> list:
    """Run each action in its own thread, released together; the results, or the exceptions."""
    barrier = threading.Barrier(len(actions))

    def run(action):
        try:
            barrier.wait(timeout=30)
            return action()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test counts
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_racing_reservations_get_exactly_the_limit(sent):
    outcome = race([lambda: sent.reserve_attempt(max_attempts=5)] * 12)

    assert sum(isinstance(o, Challenge) for o in outcome) == 5
    assert sum(isinstance(o, TooManyAttempts) for o in outcome) == 7
    assert Challenge.objects.get(pk=sent.pk).attempts == 5


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_racing_right_codes_verify_once(sent):
    outcome = race([lambda: Challenge.objects.get(pk=sent.pk).mark_verified()] * 12)

    assert outcome.count(True) == 1 and outcome.count(False) == 11


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_racing_send_claims_get_one_slot(sent):
    Challenge.objects.filter(pk=sent.pk).update(last_sent_at=None)

    outcome = race([lambda: Challenge.objects.get(pk=sent.pk).claim_send_slot(cooldown=30)] * 12)

    assert outcome.count(True) == 1 and outcome.count(False) == 11


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_replace_racing_a_verification_leaves_one_outcome(sent):
    def verify():
        return Challenge.objects.get(pk=sent.pk).mark_verified()

    def replace():
        return Challenge.objects.filter(pk=sent.pk).replace_pending()

    verified, replaced = race([verify, replace])

    status = Challenge.objects.get(pk=sent.pk).status
    assert status in (Challenge.Status.VERIFIED, Challenge.Status.REPLACED)
    # Exactly one of them changed the row, and the row says which.
    assert verified is (status == Challenge.Status.VERIFIED)
    assert (replaced == [("console", "nonce$digest")]) is (status == Challenge.Status.REPLACED)
