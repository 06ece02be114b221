"""The send path's rules for one number, one at a time (twofa.delivery)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import RateLimited
from tests.documents import PHONE
from twofa.delivery import number_reserved
from twofa.models import Challenge


def live(user, purpose: str, number: str = PHONE) -> Challenge:
    return Challenge.objects.create(
        user=user,
        token_hash=f"{Challenge.objects.count():064d}",
        purpose=purpose,
        phone_number=number,
        channel="sms",
        provider="console",
        provider_ref="nonce$digest",
        last_sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(minutes=10),
    )


def status(challenge: Challenge) -> str:
    challenge.refresh_from_db()
    return challenge.status


def test_a_second_send_to_a_number_waits_for_the_first_and_gives_up_in_bounded_time(user, settings):
    settings.TWOFA_PROVIDER_TIMEOUT = 0  # the lock then lasts (and is waited for) 1 s
    with number_reserved(PHONE, purpose="login"):
        with pytest.raises(RateLimited):
            with number_reserved(PHONE, purpose="login"):
                pass
    with number_reserved(PHONE, purpose="login"):  # released: free again
        pass


def test_a_login_ends_live_enrollments_to_its_number_only(user):
    to_it, elsewhere = live(user, "enroll"), live(user, "enroll", "+14155550123")
    with number_reserved(PHONE, purpose="login"):
        pass
    assert (status(to_it), status(elsewhere)) == ("replaced", "pending")


def test_an_enrollment_waits_for_a_live_login_and_ends_an_earlier_enrollment(user):
    login = live(user, "login")
    with pytest.raises(RateLimited) as refused:
        with number_reserved(PHONE, purpose="enroll"):
            pass
    assert 1 <= refused.value.extensions["retryAfter"] <= 600
    Challenge.objects.filter(pk=login.pk).update(status="verified")
    earlier = live(user, "enroll")
    with number_reserved(PHONE, purpose="enroll"):
        pass
    assert status(earlier) == "replaced"


def test_the_challenge_doing_the_send_and_challenges_without_a_code_are_kept(user):
    sending = live(user, "login")
    unsent = live(user, "enroll")
    Challenge.objects.filter(pk=unsent.pk).update(provider_ref="")
    with number_reserved(PHONE, purpose="login", keep=sending.pk):
        pass
    assert (status(sending), status(unsent)) == ("pending", "pending")
