"""Registering a passkey: the options, the checks of the new credential, 2FA on afterwards."""

from accounts.models import RefreshToken
from tests.twofa.passkeys.authenticator import RP_ID, SoftAuthenticator
from tests.twofa.passkeys.conftest import ME, REG_BEGIN, REG_COMPLETE
from twofa.models import AuditEvent, Challenge, Passkey


def test_options_ask_for_user_verification_a_discoverable_credential_and_no_attestation(
    gql, user, password_token
):
    result = gql(REG_BEGIN, token=password_token()["token"])
    assert 590 <= result.data["passkeyRegistrationBegin"]["expiresIn"] <= 600
    options = result.data["passkeyRegistrationBegin"]["options"]
    assert options["rp"] == {"id": RP_ID, "name": "Pollstr"}
    assert options["user"]["name"] == "alice"
    assert options["user"]["id"] and "alice" not in options["user"]["id"]
    assert options["attestation"] == "none"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["authenticatorSelection"]["residentKey"] == "preferred"
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]
    assert options["excludeCredentials"] == []


def test_registration_turns_2fa_on_with_the_passkey_preferred_and_fresh_tokens(
    gql, user, password_token, register, authenticator
):
    old = password_token()
    done = register(old["token"], authenticator, name="  My   laptop ")
    assert not done.errors, done.body
    answer = done.data["passkeyRegistrationComplete"]
    assert answer["passkey"]["name"] == "My laptop"
    assert answer["passkey"]["lastUsedAt"] is None
    assert answer["user"]["twoFactor"]["enabled"] is True
    assert answer["user"]["twoFactor"]["methods"] == ["PASSKEY"]
    assert answer["user"]["twoFactor"]["preferredMethod"] == "PASSKEY"
    # A device-bound key that verified the user: a hardware key, and multi-factor.
    assert answer["claims"]["amr"] == ["pwd", "hwk", "user", "mfa"]
    assert answer["claims"]["authTime"] is not None
    # No recovery codes yet: the client is told to offer them.
    assert answer["recoveryCodesNeeded"] is True
    # The password-only session ended; the new token works.
    assert gql(ME, token=old["token"]).codes == ["UNAUTHENTICATED"]
    me = gql(ME, token=answer["token"]).data["me"]["twoFactor"]
    assert me["passkeys"][0]["id"] == answer["passkey"]["id"]
    row = Passkey.objects.get()
    assert row.credential_id == authenticator.id
    assert row.transports == ["internal", "hybrid"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSKEY_ENROLLED).count() == 1
    assert RefreshToken.objects.filter(user=user, revoked_at=None).count() == 1


def test_a_synced_passkey_is_a_software_key(gql, user, password_token, register):
    synced = SoftAuthenticator(backup_eligible=True, backed_up=True, counter_step=0)
    done = register(password_token()["token"], synced)
    assert done.data["passkeyRegistrationComplete"]["claims"]["amr"] == [
        "pwd",
        "swk",
        "user",
        "mfa",
    ]
    assert Passkey.objects.get().backup_eligible is True


def test_registration_needs_user_verification(gql, user, password_token, register, authenticator):
    authenticator.user_verified = False
    done = register(password_token()["token"], authenticator)
    assert done.codes == ["PASSKEY_INVALID"]
    assert done.error["extensions"]["attemptsLeft"] == 4
    assert not Passkey.objects.exists()


def test_registration_from_another_origin_or_rp_id_is_refused(
    gql, user, password_token, register, authenticator
):
    token = password_token()["token"]
    assert register(token, authenticator, origin="https://evil.example").codes == [
        "PASSKEY_INVALID"
    ]
    assert register(token, authenticator, rp_id="evil.example").codes == ["PASSKEY_INVALID"]
    assert not Passkey.objects.exists()


def test_a_credential_for_an_earlier_registration_challenge_is_refused(
    gql, user, password_token, authenticator
):
    token = password_token()["token"]
    first = gql(REG_BEGIN, token=token).data["passkeyRegistrationBegin"]["options"]
    gql(REG_BEGIN, token=token)  # replaces the first registration
    credential = authenticator.create(first)
    done = gql(REG_COMPLETE, {"name": "Laptop", "credential": credential}, token=token)
    assert done.codes == ["PASSKEY_INVALID"]


def test_the_registration_challenge_is_single_use(gql, user, password_token, authenticator):
    token = password_token()["token"]
    options = gql(REG_BEGIN, token=token).data["passkeyRegistrationBegin"]["options"]
    credential = authenticator.create(options)
    done = gql(REG_COMPLETE, {"name": "Laptop", "credential": credential}, token=token)
    assert not done.errors, done.body
    again = gql(
        REG_COMPLETE,
        {"name": "Again", "credential": credential},
        token=done.data["passkeyRegistrationComplete"]["token"],
    )
    assert again.codes == ["CODE_EXPIRED"]
    assert Passkey.objects.count() == 1


def test_wrong_answers_use_up_the_registration_challenge(gql, user, password_token, authenticator):
    token = password_token()["token"]
    gql(REG_BEGIN, token=token)
    for left in (4, 3, 2, 1, 0):
        done = gql(REG_COMPLETE, {"name": "x", "credential": {"id": "nope"}}, token=token)
        assert done.codes == ["PASSKEY_INVALID"]
        assert done.error["extensions"]["attemptsLeft"] == left
    assert Challenge.objects.get(purpose="passkey_setup").status == "failed"
    done = gql(REG_COMPLETE, {"name": "x", "credential": {"id": "nope"}}, token=token)
    assert done.codes == ["TOO_MANY_ATTEMPTS"]


def test_a_second_passkey_excludes_the_first(gql, user, password_token, register, authenticator):
    first = register(password_token()["token"], authenticator).data["passkeyRegistrationComplete"]
    options = gql(REG_BEGIN, token=first["token"]).data["passkeyRegistrationBegin"]["options"]
    assert options["excludeCredentials"] == [
        {"type": "public-key", "id": authenticator.id, "transports": ["internal", "hybrid"]}
    ]
    # The same authenticator presenting the same credential again is refused.
    credential = authenticator.create(options)
    again = gql(REG_COMPLETE, {"name": "Twice", "credential": credential}, token=first["token"])
    assert again.codes == ["PASSKEY_INVALID"]
    assert Passkey.objects.count() == 1


def test_a_name_is_required(gql, user, password_token, register, authenticator):
    done = register(password_token()["token"], authenticator, name="   ")
    assert done.codes == ["BAD_USER_INPUT"]
    assert not Passkey.objects.exists()
