"""A passkey answers a step-up: stepUpBegin offers its options, stepUpComplete checks the assertion."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.tokens import token_pair_issue
from tests.twofa.passkeys.authenticator import SoftAuthenticator
from tests.twofa.test_twofa_step_up import BEGIN, COMPLETE, GENERATE
from twofa.models import Passkey


def _stale(user, amr):
    user.refresh_from_db()  # registering the passkey ended the earlier sessions
    old = timezone.now() - timedelta(seconds=settings.TWOFA_STEP_UP_MAX_AGE + 60)
    return token_pair_issue(user, amr=amr, auth_time=old)


def test_a_passkey_steps_up(gql, passkey_user, authenticator):
    pair = _stale(passkey_user, ["pwd", "hwk", "user", "mfa"])
    assert gql(GENERATE, token=pair.token).error["extensions"]["stepUp"] is True
    begun = gql(BEGIN, {"method": "PASSKEY"}, token=pair.token)
    assert not begun.errors, begun.body
    challenge = begun.data["stepUpBegin"]
    assert challenge["method"] == "PASSKEY"
    assert challenge["codeSent"] is None
    assert [c["id"] for c in challenge["passkeyOptions"]["allowCredentials"]] == [authenticator.id]
    credential = authenticator.get(challenge["passkeyOptions"])
    done = gql(
        COMPLETE, {"challenge": challenge["challenge"], "credential": credential}, token=pair.token
    )
    assert not done.errors, done.body
    tokens = done.data["stepUpComplete"]
    assert tokens["claims"]["amr"] == ["pwd", "hwk", "user", "mfa"]
    assert Passkey.objects.get().last_used_at is not None
    assert not gql(GENERATE, token=tokens["token"]).errors


def test_a_passkey_adds_what_it_proves(gql, passkey_user, authenticator):
    # A session verified by SMS earlier; the passkey proves more.
    pair = _stale(passkey_user, ["pwd", "sms"])
    challenge = gql(BEGIN, {"method": "PASSKEY"}, token=pair.token).data["stepUpBegin"]
    credential = authenticator.get(challenge["passkeyOptions"])
    done = gql(
        COMPLETE, {"challenge": challenge["challenge"], "credential": credential}, token=pair.token
    )
    assert done.data["stepUpComplete"]["claims"]["amr"] == ["pwd", "sms", "hwk", "user", "mfa"]


def test_another_authenticators_assertion_is_refused(gql, passkey_user, authenticator):
    pair = _stale(passkey_user, ["pwd", "hwk", "user", "mfa"])
    challenge = gql(BEGIN, {"method": "PASSKEY"}, token=pair.token).data["stepUpBegin"]
    stranger = SoftAuthenticator().get(challenge["passkeyOptions"])
    done = gql(
        COMPLETE, {"challenge": challenge["challenge"], "credential": stranger}, token=pair.token
    )
    assert done.codes == ["PASSKEY_INVALID"]
    assert done.error["extensions"]["attemptsLeft"] == 4
