"""The challenge's lifecycle rules, one at a time, on the model that keeps them."""

from datetime import timedelta

import pytest
from django.utils import timezone

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
