"""Signing in with a code: tokenAuth sends it, verifyToken checks it, resendCode replaces it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accounts.models import RefreshToken
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from twofa.models import Challenge

RESEND = """
mutation($challenge: String!, $channel: Channel) {
  resendCode(challenge: $challenge, channel: $channel) { sent channel expiresIn }
}
"""


def start_login(gql, username="alice"):
    result = gql(TOKEN_AUTH, {"username": username, "password": PASSWORD})
    assert not result.errors, result.body
    return result.data["tokenAuth"]


def cooldown_passes():
    """Let the resend cooldown run out, as if 31 seconds had passed."""
    Challenge.objects.update(last_sent_at=F("last_sent_at") - timedelta(seconds=31))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_login_with_2fa_sends_a_code_and_returns_a_challenge_not_tokens(gql, user_2fa, outbox):
    started = start_login(gql)

    assert started["twoFactorRequired"] is True
    assert started["token"] is None and started["refreshToken"] is None
    assert started["payload"] is None and started["refreshExpiresIn"] is None
    assert started["channel"] == "SMS"
    assert started["phoneNumber"] == "+1******2671"
    assert 595 <= started["expiresIn"] <= 600
    assert started["message"] == "A verification code was sent to +1******2671."
    assert RefreshToken.objects.count() == 0
    message = outbox.last()
    assert (message["to"], message["purpose"], message["channel"]) == (PHONE, "login", "sms")


def test_the_challenge_is_not_a_token(gql, user_2fa, outbox):
    started = start_login(gql)
    result = gql("{ me { username } }", token=started["challenge"])
    assert result.codes == ["UNAUTHENTICATED"]


def test_right_code_gives_2fa_verified_tokens(gql, user_2fa, outbox):
    started = start_login(gql)
    before = int(timezone.now().timestamp())

    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})

    tokens = result.data["verifyToken"]
    assert tokens["payload"]["amr"] == ["pwd", "sms"]
    assert before - 1 <= tokens["payload"]["auth_time"] <= before + 5
    me = gql("{ me { username twoFactor { enabled phoneNumber } } }", token=tokens["token"])
    assert me.data["me"] == {
        "username": "alice",
        "twoFactor": {"enabled": True, "phoneNumber": "+1******2671"},
    }


def test_a_challenge_works_once(gql, user_2fa, outbox):
    started = start_login(gql)
    code = outbox.last_code()
    assert not gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code}).errors

    again = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})
    assert again.codes == ["CODE_EXPIRED"]
    assert again.data == {"verifyToken": None}


def test_an_unknown_challenge_is_expired(gql, user_2fa, outbox):
    result = gql(VERIFY_TOKEN, {"challenge": "not-a-challenge", "code": "123456"})
    assert result.codes == ["CODE_EXPIRED"]


def test_five_wrong_codes_kill_the_challenge(gql, user_2fa, outbox):
    started = start_login(gql)
    code = outbox.last_code()

    left = []
    for _ in range(5):
        result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong(code)})
        assert result.codes == ["INVALID_CODE"]
        left.append(result.error["extensions"]["attemptsLeft"])
    assert left == [4, 3, 2, 1, 0]

    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})
    assert result.codes == ["TOO_MANY_ATTEMPTS"]
    assert RefreshToken.objects.count() == 0


def test_malformed_codes_count_as_wrong_codes(gql, user_2fa, outbox):
    started = start_login(gql)
    for code, left in (("", 4), ("abcdef", 3), ("1" * 500, 2)):
        result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})
        assert result.codes == ["INVALID_CODE"]
        assert result.error["extensions"]["attemptsLeft"] == left


def test_an_expired_challenge_refuses_even_the_right_code(gql, user_2fa, outbox):
    started = start_login(gql)
    Challenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    assert result.codes == ["CODE_EXPIRED"]


def test_a_new_login_replaces_the_pending_challenge(gql, user_2fa, outbox):
    first = start_login(gql)
    first_code = outbox.last_code()
    start_login(gql)

    result = gql(VERIFY_TOKEN, {"challenge": first["challenge"], "code": first_code})
    assert result.codes == ["CODE_EXPIRED"]


def test_an_inactive_users_challenge_is_refused(gql, user_2fa, outbox):
    started = start_login(gql)
    user_2fa.is_active = False
    user_2fa.save()

    result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    assert result.codes == ["CODE_EXPIRED"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", ["ATOMIC_MUTATIONS", "ATOMIC_REQUESTS"])
def test_wrong_codes_are_counted_even_when_the_request_would_roll_back(
    gql, user_2fa, outbox, settings, mode
):
    """A client must not get unlimited guesses because an error rolls the request back."""
    if mode == "ATOMIC_MUTATIONS":
        settings.GRAPHENE = {**settings.GRAPHENE, "ATOMIC_MUTATIONS": True}
    started = start_login(gql)
    code = outbox.last_code()
    original = connection.settings_dict.get("ATOMIC_REQUESTS", False)
    connection.settings_dict["ATOMIC_REQUESTS"] = mode == "ATOMIC_REQUESTS"
    try:
        for _ in range(5):
            gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong(code)})
        result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})
    finally:
        connection.settings_dict["ATOMIC_REQUESTS"] = original

    assert result.codes == ["TOO_MANY_ATTEMPTS"]
    assert Challenge.objects.get().attempts == 5


def test_resend_sends_a_new_code_and_the_old_one_stops_working(gql, user_2fa, outbox):
    started = start_login(gql)
    old_code = outbox.last_code()

    cooldown_passes()

    result = gql(RESEND, {"challenge": started["challenge"]})
    assert result.data["resendCode"]["sent"] is True
    assert result.data["resendCode"]["channel"] == "SMS"
    assert len(outbox.messages()) == 2
    new_code = outbox.last_code()

    if old_code != new_code:
        stale = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": old_code})
        assert stale.codes == ["INVALID_CODE"]
    fresh = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": new_code})
    assert fresh.data["verifyToken"]["payload"]["amr"] == ["pwd", "sms"]


def test_resend_keeps_the_attempt_count_and_expiry(gql, user_2fa, outbox):
    started = start_login(gql)
    code = outbox.last_code()
    for _ in range(2):
        gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong(code)})
    expires_at = Challenge.objects.get().expires_at

    cooldown_passes()

    resent = gql(RESEND, {"challenge": started["challenge"]}).data["resendCode"]
    assert resent["expiresIn"] <= started["expiresIn"]
    assert Challenge.objects.get().expires_at == expires_at

    result = gql(
        VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong(outbox.last_code())}
    )
    assert result.error["extensions"]["attemptsLeft"] == 2


def test_resend_by_voice_call_gives_a_tel_login(gql, user_2fa, outbox):
    started = start_login(gql)

    cooldown_passes()

    result = gql(RESEND, {"challenge": started["challenge"], "channel": "CALL"})
    assert result.data["resendCode"]["channel"] == "CALL"
    assert outbox.last()["channel"] == "call"

    tokens = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
    assert tokens.data["verifyToken"]["payload"]["amr"] == ["pwd", "tel"]


def test_resend_refuses_unknown_used_and_dead_challenges(gql, user_2fa, outbox):
    assert gql(RESEND, {"challenge": "nope"}).codes == ["CODE_EXPIRED"]

    used = start_login(gql)
    gql(VERIFY_TOKEN, {"challenge": used["challenge"], "code": outbox.last_code()})
    assert gql(RESEND, {"challenge": used["challenge"]}).codes == ["CODE_EXPIRED"]

    dead = start_login(gql)
    code = outbox.last_code()
    for _ in range(5):
        gql(VERIFY_TOKEN, {"challenge": dead["challenge"], "code": wrong(code)})
    sent_before = len(outbox.messages())
    assert gql(RESEND, {"challenge": dead["challenge"]}).codes == ["TOO_MANY_ATTEMPTS"]
    assert len(outbox.messages()) == sent_before
