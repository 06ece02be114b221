"""Twilio keeps one pending verification per number (per Verify service): a second
start to the number re-sends the same code under the same SID, and a cancel ends
it for whoever else holds that SID. So our provider checks and cancels by the
verification's SID, never by the number: a challenge whose verification ended
can't approve, or spend the attempts of, the next verification to that number.
"""

import pytest

from tests.documents import PHONE
from twofa.exceptions import CodeExpired
from twofa.providers import provider_get


@pytest.fixture
def twilio(twilio_api):
    return provider_get("twilio")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_second_start_to_a_pending_number_shares_its_verification(twilio, twilio_api):
    first = twilio.start(to=PHONE, channel="sms", purpose="login", locale="en")
    second = twilio.start(to=PHONE, channel="call", purpose="enroll", locale="en")

    assert second == first
    assert [m.code for m in twilio_api.messages] == [twilio_api.last_code()] * 2
    twilio.cancel(ref=first)
    with pytest.raises(CodeExpired):
        twilio.check(ref=second, to=PHONE, code=twilio_api.last_code())


def test_a_check_goes_to_its_own_verification_not_the_numbers_latest(twilio, twilio_api):
    ended = twilio.start(to=PHONE, channel="sms", purpose="login", locale="en")
    twilio.cancel(ref=ended)
    live = twilio.start(to=PHONE, channel="sms", purpose="enroll", locale="en")
    code = twilio_api.last_code()

    with pytest.raises(CodeExpired):
        twilio.check(ref=ended, to=PHONE, code=code)

    assert twilio_api.verifications[live]["status"] == "pending"
    assert twilio.check(ref=live, to=PHONE, code=code) is True
    checks = twilio_api.of("check")
    assert [c.body for c in checks] == [
        {"VerificationSid": ended, "Code": code},
        {"VerificationSid": live, "Code": code},
    ]


def test_wrong_codes_for_an_ended_verification_cost_the_next_one_nothing(twilio, twilio_api):
    ended = twilio.start(to=PHONE, channel="sms", purpose="login", locale="en")
    twilio.cancel(ref=ended)
    live = twilio.start(to=PHONE, channel="sms", purpose="enroll", locale="en")
    code = twilio_api.last_code()

    for _ in range(twilio_api.max_checks):
        with pytest.raises(CodeExpired):
            twilio.check(ref=ended, to=PHONE, code=wrong(code))

    assert twilio_api.verifications[live]["checks"] == 0
    assert twilio.check(ref=live, to=PHONE, code=code) is True


def test_a_cancel_names_the_verification(twilio, twilio_api):
    ended = twilio.start(to=PHONE, channel="sms", purpose="login", locale="en")
    twilio.cancel(ref=ended)
    live = twilio.start(to=PHONE, channel="sms", purpose="enroll", locale="en")

    twilio.cancel(ref=ended)

    assert twilio_api.verifications[live]["status"] == "pending"
    assert [c.path.rsplit("/", 1)[1] for c in twilio_api.of("cancel")] == [ended, ended]
