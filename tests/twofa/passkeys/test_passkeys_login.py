"""A passkey as the second factor: tokenAuth offers it, verifyToken checks the assertion."""

import pytest
from django.utils import timezone

from tests.documents import PHONE
from tests.twofa.passkeys.authenticator import SoftAuthenticator
from tests.twofa.passkeys.conftest import ME, VERIFY
from twofa.models import AuditEvent, Challenge, Passkey, PhoneNumber

VOTE_GATE = (
    "mutation { setPreferredMethod(method: PASSKEY) { user { twoFactor { preferredMethod } } } }"
)


def answer(gql, challenge, credential):
    return gql(VERIFY, {"challenge": challenge, "credential": credential})


def test_tokenauth_offers_the_passkey_with_request_options(passkey_user, login, authenticator):
    started = login()
    assert started["method"] == "PASSKEY"
    assert started["methods"] == ["PASSKEY"]
    assert started["codeSent"] is None
    assert started["message"] == "Sign in with your passkey."
    options = started["passkeyOptions"]
    assert options["rpId"] == "localhost"
    assert options["userVerification"] == "required"
    assert [c["id"] for c in options["allowCredentials"]] == [authenticator.id]


def test_the_assertion_finishes_the_login(gql, passkey_user, login, authenticator):
    started = login()
    done = answer(gql, started["challenge"], authenticator.get(started["passkeyOptions"]))
    assert not done.errors, done.body
    claims = done.data["verifyToken"]["claims"]
    assert claims["amr"] == ["pwd", "hwk", "user", "mfa"]
    token = done.data["verifyToken"]["token"]
    # A 2FA-verified token: the second-factor gate lets it through.
    assert not gql(VOTE_GATE, token=token).errors
    me = gql(ME, token=token).data["me"]["twoFactor"]["passkeys"][0]
    assert me["lastUsedAt"] is not None
    assert Passkey.objects.get().sign_count == 1
    assert Challenge.objects.get(purpose="login").status == "verified"


def test_a_phone_user_with_a_passkey_gets_both(gql, passkey_user, login, authenticator, outbox):
    PhoneNumber.objects.create(user=passkey_user, number=PHONE, verified_at=timezone.now())
    started = login()
    assert set(started["methods"]) == {"SMS", "CALL", "PASSKEY"}
    assert started["passkeyOptions"] is not None


def test_a_replayed_assertion_fails(gql, passkey_user, login, authenticator):
    started = login()
    credential = authenticator.get(started["passkeyOptions"])
    assert not answer(gql, started["challenge"], credential).errors
    # The same challenge again: it is used up.
    assert answer(gql, started["challenge"], credential).codes == ["CODE_EXPIRED"]
    # On a new challenge: it signed another one.
    again = login()
    replay = answer(gql, again["challenge"], credential)
    assert replay.codes == ["PASSKEY_INVALID"]
    assert replay.error["extensions"]["attemptsLeft"] == 4


def test_an_assertion_for_another_attempt_fails(gql, passkey_user, login, authenticator):
    first = login()
    credential = authenticator.get(first["passkeyOptions"])
    second = login()  # replaces the first
    assert answer(gql, second["challenge"], credential).codes == ["PASSKEY_INVALID"]


@pytest.mark.parametrize(
    "ceremony", [{"origin": "https://evil.example"}, {"rp_id": "evil.example"}]
)
def test_another_origin_or_rp_id_fails(gql, passkey_user, login, authenticator, ceremony):
    started = login()
    credential = authenticator.get(started["passkeyOptions"], **ceremony)
    result = answer(gql, started["challenge"], credential)
    assert result.codes == ["PASSKEY_INVALID"]
    assert result.error["extensions"]["attemptsLeft"] == 4


def test_without_user_verification_it_fails(gql, passkey_user, login, authenticator):
    started = login()
    authenticator.user_verified = False
    result = answer(gql, started["challenge"], authenticator.get(started["passkeyOptions"]))
    assert result.codes == ["PASSKEY_INVALID"]


def test_another_users_passkey_fails(gql, passkey_user, login, register, password_token):
    from accounts.models import User
    from tests.documents import PASSWORD

    User.objects.create_user(username="bob", password=PASSWORD)
    bobs = SoftAuthenticator()
    assert not register(password_token("bob")["token"], bobs).errors
    started = login()
    result = answer(gql, started["challenge"], bobs.get(started["passkeyOptions"]))
    assert result.codes == ["PASSKEY_INVALID"]
    assert result.error["extensions"]["attemptsLeft"] == 4


def test_a_tampered_signature_fails(gql, passkey_user, login, authenticator):
    started = login()
    credential = authenticator.get(started["passkeyOptions"])
    other = SoftAuthenticator()
    other.credential_id = authenticator.credential_id
    other.user_handle = authenticator.user_handle
    forged = other.get(started["passkeyOptions"])
    assert answer(gql, started["challenge"], forged).codes == ["PASSKEY_INVALID"]
    assert not answer(gql, started["challenge"], credential).errors


def test_failures_count_against_the_challenge_and_lock_it(gql, passkey_user, login, authenticator):
    started = login()
    authenticator.user_verified = False
    for left in (4, 3, 2, 1, 0):
        result = answer(gql, started["challenge"], authenticator.get(started["passkeyOptions"]))
        assert result.error["extensions"]["attemptsLeft"] == left
    authenticator.user_verified = True
    result = answer(gql, started["challenge"], authenticator.get(started["passkeyOptions"]))
    assert result.codes == ["TOO_MANY_ATTEMPTS"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED).count() == 1
    # The back-off after a dead challenge holds for passkeys too.
    again = login()
    result = answer(gql, again["challenge"], authenticator.get(again["passkeyOptions"]))
    assert result.codes == ["RATE_LIMITED"]


def test_a_counter_of_zero_is_always_accepted(gql, user, password_token, register, login):
    synced = SoftAuthenticator(backup_eligible=True, backed_up=True, counter_step=0)
    assert not register(password_token()["token"], synced).errors
    for _ in range(2):
        started = login()
        done = answer(gql, started["challenge"], synced.get(started["passkeyOptions"]))
        assert not done.errors, done.body
        assert done.data["verifyToken"]["claims"]["amr"] == ["pwd", "swk", "user", "mfa"]


def test_a_counter_that_does_not_increase_is_refused_and_audited(
    gql, passkey_user, login, authenticator
):
    started = login()
    authenticator.counter = 5
    assert not answer(
        gql, started["challenge"], authenticator.get(started["passkeyOptions"])
    ).errors
    started = login()
    authenticator.counter = 5  # a clone that was copied at 5
    result = answer(gql, started["challenge"], authenticator.get(started["passkeyOptions"]))
    assert result.codes == ["PASSKEY_INVALID"]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSKEY_CLONE_SUSPECTED)
    assert event.user == passkey_user
    # Where the clone answered from: what whoever looks into it needs first.
    assert event.ip == "127.0.0.1"
    assert event.detail["stored_count"] == 5 and event.detail["new_count"] == 5
    assert Passkey.objects.get().sign_count == 5


def test_a_credential_or_a_code_is_required(gql, passkey_user, login):
    started = login()
    result = gql(VERIFY, {"challenge": started["challenge"]})
    assert result.codes == ["BAD_USER_INPUT"]
    result = gql(VERIFY, {"challenge": started["challenge"], "method": "PASSKEY", "code": "1"})
    assert result.codes == ["BAD_USER_INPUT"]


def test_garbage_counts_as_a_wrong_answer(gql, passkey_user, login):
    started = login()
    result = gql(VERIFY, {"challenge": started["challenge"], "credential": "not json"})
    assert result.codes == ["PASSKEY_INVALID"]
    assert result.error["extensions"]["attemptsLeft"] == 4
