"""Signing in with a passkey and no password: discoverable credentials, single-use handles."""

import pytest

from tests.twofa.passkeys.authenticator import SoftAuthenticator
from tests.twofa.passkeys.conftest import LOGIN_BEGIN, LOGIN_COMPLETE, ME
from twofa.models import AuditEvent, Passkey

VOTE_GATE = "mutation { setPreferredMethod(method: PASSKEY) { user { id } } }"


def begin(gql, **kw):
    result = gql(LOGIN_BEGIN, **kw)
    assert not result.errors, result.body
    return result.data["passkeyLoginBegin"]


def complete(gql, handle, credential, **kw):
    return gql(LOGIN_COMPLETE, {"handle": handle, "credential": credential}, **kw)


def test_options_name_no_user(gql, db):
    started = begin(gql)
    assert started["handle"]
    assert started["options"]["allowCredentials"] == []
    assert started["options"]["userVerification"] == "required"
    assert started["expiresIn"] == 600


def test_a_passkey_alone_signs_in_and_counts_as_two_factors(gql, passkey_user, authenticator):
    started = begin(gql)
    done = complete(gql, started["handle"], authenticator.get(started["options"]))
    assert not done.errors, done.body
    answer = done.data["passkeyLoginComplete"]
    assert answer["claims"]["amr"] == ["hwk", "user", "mfa"]
    assert answer["claims"]["authTime"] is not None
    assert answer["refreshToken"]
    # A multi-factor credential: the second-factor gate lets it through.
    assert not gql(VOTE_GATE, token=answer["token"]).errors
    assert gql(ME, token=answer["token"]).data["me"]["twoFactor"]["passkeys"][0]["lastUsedAt"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSKEY_LOGIN).count() == 1


def test_without_user_verification_it_is_refused(gql, passkey_user, authenticator):
    started = begin(gql)
    authenticator.user_verified = False
    done = complete(gql, started["handle"], authenticator.get(started["options"]))
    assert done.codes == ["PASSKEY_INVALID"]
    assert "attemptsLeft" not in done.error["extensions"]


def test_an_unknown_passkey_and_a_bad_signature_answer_alike(gql, passkey_user, authenticator):
    stranger = SoftAuthenticator()
    stranger.user_handle = authenticator.user_handle
    started = begin(gql)
    unknown = complete(gql, started["handle"], stranger.get(started["options"]))
    forger = SoftAuthenticator()
    forger.credential_id = authenticator.credential_id
    forger.user_handle = authenticator.user_handle
    started = begin(gql)
    forged = complete(gql, started["handle"], forger.get(started["options"]))
    assert unknown.codes == forged.codes == ["PASSKEY_INVALID"]
    assert unknown.error == {**forged.error, "path": unknown.error["path"]}


def test_the_handle_works_once_right_or_wrong(gql, passkey_user, authenticator):
    started = begin(gql)
    credential = authenticator.get(started["options"])
    assert not complete(gql, started["handle"], credential).errors
    assert complete(gql, started["handle"], credential).codes == ["CODE_EXPIRED"]
    started = begin(gql)
    assert complete(gql, started["handle"], {"id": "x"}).codes == ["PASSKEY_INVALID"]
    good = authenticator.get(started["options"])
    assert complete(gql, started["handle"], good).codes == ["CODE_EXPIRED"]


def test_an_assertion_for_another_handle_fails(gql, passkey_user, authenticator):
    first = begin(gql)
    second = begin(gql)
    credential = authenticator.get(first["options"])
    assert complete(gql, second["handle"], credential).codes == ["PASSKEY_INVALID"]


@pytest.mark.parametrize(
    "ceremony", [{"origin": "http://localhost:9999"}, {"rp_id": "example.com"}]
)
def test_another_origin_or_rp_id_fails(gql, passkey_user, authenticator, ceremony):
    started = begin(gql)
    done = complete(gql, started["handle"], authenticator.get(started["options"], **ceremony))
    assert done.codes == ["PASSKEY_INVALID"]


def test_a_user_handle_that_is_not_the_owners_fails(gql, passkey_user, authenticator):
    started = begin(gql)
    authenticator.user_handle = b"someone else"
    assert complete(gql, started["handle"], authenticator.get(started["options"])).codes == [
        "PASSKEY_INVALID"
    ]


def test_a_cloned_counter_is_refused_and_audited(gql, passkey_user, authenticator):
    started = begin(gql)
    authenticator.counter = 7
    assert not complete(gql, started["handle"], authenticator.get(started["options"])).errors
    started = begin(gql)
    authenticator.counter = 3
    assert complete(gql, started["handle"], authenticator.get(started["options"])).codes == [
        "PASSKEY_INVALID"
    ]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSKEY_CLONE_SUSPECTED).count() == 1
    assert Passkey.objects.get().sign_count == 7


def test_an_inactive_users_passkey_fails(gql, passkey_user, authenticator):
    passkey_user.is_active = False
    passkey_user.save()
    started = begin(gql)
    assert complete(gql, started["handle"], authenticator.get(started["options"])).codes == [
        "PASSKEY_INVALID"
    ]


def test_failures_count_as_failed_logins_of_the_network(gql, passkey_user, authenticator, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 3
    for _ in range(3):
        started = begin(gql)
        assert complete(gql, started["handle"], {"id": "nope"}).codes == ["PASSKEY_INVALID"]
    assert gql(LOGIN_BEGIN).codes == ["RATE_LIMITED"]
    # Another network is not held up.
    started = begin(gql, remote_addr="192.0.2.7")
    done = complete(
        gql, started["handle"], authenticator.get(started["options"]), remote_addr="192.0.2.7"
    )
    assert not done.errors, done.body


def test_options_are_limited_per_client_network(gql, db, settings):
    settings.WEBAUTHN_LOGIN_LIMIT_PER_IP = 2
    begin(gql)
    begin(gql)
    refused = gql(LOGIN_BEGIN)
    assert refused.codes == ["RATE_LIMITED"]
    assert refused.error["extensions"]["retryAfter"] > 0
    begin(gql, remote_addr="192.0.2.8")


def test_a_browser_session_gets_the_refresh_token_in_the_cookie(
    gql, client, passkey_user, authenticator, settings
):
    started = begin(gql)
    done = complete(
        gql,
        started["handle"],
        authenticator.get(started["options"]),
        headers={"X-Pollstr-Session": "browser"},
    )
    assert not done.errors, done.body
    assert done.data["passkeyLoginComplete"]["refreshToken"] is None
    assert client.cookies[settings.REFRESH_TOKEN_COOKIE_NAME].value
