"""Step-up in place: stepUpBegin/stepUpComplete check a second factor again and
the session goes on (same sid) with a fresh auth_time, so the step-up-gated
mutations pass without a new sign-in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RefreshToken, User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, TOKEN_AUTH, VERIFY_TOKEN
from twofa.conf import twofa_settings
from twofa.models import AuditEvent, Challenge, PhoneNumber, RecoveryCode
from twofa.services import recovery_codes_generate

BEGIN = """
mutation($method: TwoFactorMethod) {
  stepUpBegin(method: $method) {
    challenge method methods channel phoneNumber codeSent codeNotSentReason retryAfter
    expiresIn message passkeyOptions
  }
}
"""
COMPLETE = """
mutation($challenge: String!, $code: String, $method: TwoFactorMethod, $credential: WebAuthnJSON) {
  stepUpComplete(challenge: $challenge, code: $code, method: $method, credential: $credential) {
    token refreshToken refreshExpiresAt claims { amr authTime }
  }
}
"""
RESEND = """
mutation($challenge: String!, $channel: Channel) {
  resendCode(challenge: $challenge, channel: $channel) { sent channel expiresIn }
}
"""
REMOVE_PHONE = "mutation { removePhone { token } }"
GENERATE = "mutation { generateRecoveryCodes { codes } }"
SESSIONS = "{ me { sessions { id current } } }"
REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }"
OLD = settings.TWOFA_STEP_UP_MAX_AGE + 60


def stale(user, amr=("pwd", "sms")):
    """A pair whose second factor was checked longer ago than step-up allows."""
    return token_pair_issue(user, amr=list(amr), auth_time=timezone.now() - timedelta(seconds=OLD))


def begin(gql, token, method=None):
    return gql(BEGIN, {"method": method}, token=token)


def started(gql, token, method=None) -> dict:
    result = begin(gql, token, method)
    assert not result.errors, result.body
    return result.data["stepUpBegin"]


def complete(gql, token, challenge, code=None, **more):
    return gql(COMPLETE, {"challenge": challenge, "code": code, **more}, token=token)


@pytest.fixture
def user_app(user):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def app_code(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"


# --- Who may step up ---------------------------------------------------------------------


def test_begin_needs_a_token(gql, user_2fa):
    assert begin(gql, None).codes == ["UNAUTHENTICATED"]


def test_begin_needs_a_second_factor_token(gql, user_2fa):
    password_only = token_pair_issue(user_2fa, amr=["pwd"])
    assert begin(gql, password_only.token).codes == ["TWO_FACTOR_REQUIRED"]
    assert not Challenge.objects.filter(purpose="step_up").exists()


def test_without_2fa_there_is_nothing_to_step_up(gql, user):
    # A token verified before the user turned 2FA off.
    result = begin(gql, token_pair_issue(user, amr=["pwd", "sms"]).token)
    assert result.codes == ["BAD_USER_INPUT"]


def test_a_method_the_user_does_not_have(gql, user_2fa):
    result = begin(gql, stale(user_2fa).token, "TOTP")
    assert result.codes == ["BAD_USER_INPUT"]
    assert not Challenge.objects.filter(purpose="step_up").exists()


def test_complete_needs_a_second_factor_token(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token)["challenge"]
    assert complete(gql, None, challenge, outbox.last_code()).codes == ["UNAUTHENTICATED"]
    password_only = token_pair_issue(user_2fa, amr=["pwd"]).token
    result = complete(gql, password_only, challenge, outbox.last_code())
    assert result.codes == ["TWO_FACTOR_REQUIRED"]


# --- The gate says step up ---------------------------------------------------------------


def test_the_step_up_gate_says_step_up(gql, user_2fa):
    result = gql(REMOVE_PHONE, token=stale(user_2fa).token)
    assert result.codes == ["TWO_FACTOR_REQUIRED"]
    assert result.error["extensions"]["stepUp"] is True
    assert "stepUpBegin" in result.error["message"]


def test_no_second_factor_at_all_is_not_a_step_up(gql, user_2fa):
    result = gql(REMOVE_PHONE, token=token_pair_issue(user_2fa, amr=["pwd"]).token)
    assert result.codes == ["TWO_FACTOR_REQUIRED"]
    assert "stepUp" not in result.error["extensions"]


def test_the_step_up_message_is_translated(gql, user_2fa):
    result = gql(REMOVE_PHONE, token=stale(user_2fa).token, headers={"Accept-Language": "de"})
    assert "stepUpBegin" in result.error["message"]
    assert result.error["message"].startswith("Diese Änderung")


# --- SMS: the whole round --------------------------------------------------------------------


def test_sms_step_up_continues_the_session_and_opens_the_gate(
    gql, user_2fa, verified_login, outbox
):
    signed_in = verified_login()
    # The session's second factor grows old.
    RefreshToken.objects.filter(user=user_2fa).update(
        auth_time=timezone.now() - timedelta(seconds=OLD)
    )
    old = gql(REFRESH, {"r": signed_in["refreshToken"]}).data["refreshToken"]
    refused = gql(REMOVE_PHONE, token=old["token"])
    assert refused.error["extensions"] == {"code": "TWO_FACTOR_REQUIRED", "stepUp": True}
    # The refresh rotated the sign-in's token; the latest one:
    latest_refresh = RefreshToken.objects.filter(user=user_2fa, rotated_at=None).get()
    before = gql(SESSIONS, token=old["token"]).data["me"]["sessions"]

    challenge = started(gql, old["token"])
    assert challenge["method"] == "SMS"
    assert challenge["codeSent"] is True
    assert challenge["phoneNumber"].endswith("71")
    assert challenge["methods"] == ["SMS", "CALL"]
    assert challenge["expiresIn"] > 0
    done = complete(gql, old["token"], challenge["challenge"], outbox.last_code())
    assert not done.errors, done.body
    tokens = done.data["stepUpComplete"]
    assert tokens["claims"]["amr"] == ["pwd", "sms"]  # nothing twice
    assert abs(tokens["claims"]["authTime"] - timezone.now().timestamp()) < 5
    assert tokens["refreshToken"]

    after = gql(SESSIONS, token=tokens["token"]).data["me"]["sessions"]
    assert after == before  # same session (sid), still the current one
    assert after[0]["current"] is True
    assert len(after) == 1
    assert gql(REFRESH, {"r": signed_in["refreshToken"]}).codes == ["INVALID_REFRESH_TOKEN"]
    assert RefreshToken.objects.get(pk=latest_refresh.pk).rotated_at is not None
    # The new refresh token works, and keeps the fresh auth_time and the session's end.
    refreshed = gql(REFRESH, {"r": tokens["refreshToken"]})
    assert not refreshed.errors, refreshed.body
    assert tokens["refreshExpiresAt"] == int(latest_refresh.expires_at.timestamp())
    # The change the gate refused goes through now.
    assert not gql(REMOVE_PHONE, token=tokens["token"]).errors


def test_sms_step_up_is_audited_as_a_step_up(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token)["challenge"]
    assert not complete(gql, pair.token, challenge, outbox.last_code()).errors
    kinds = [
        (e.kind, e.detail.get("purpose"))
        for e in AuditEvent.objects.filter(user=user_2fa).order_by("pk")
    ]
    assert kinds == [("code_sent", "step_up"), ("code_verified", "step_up")]
    events = gql(
        "{ me { securityEvents(first: 5) { edges { node { kind purpose method } } } } }",
        token=pair.token,
    ).data["me"]["securityEvents"]["edges"]
    assert [e["node"] for e in events] == [
        {"kind": "CODE_VERIFIED", "purpose": "STEP_UP", "method": "SMS"},
        {"kind": "CODE_SENT", "purpose": "STEP_UP", "method": "SMS"},
    ]


def test_a_pair_without_a_live_session_cannot_step_up(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    RefreshToken.objects.filter(user=user_2fa).update(revoked_at=timezone.now())
    challenge = started(gql, pair.token)["challenge"]
    assert complete(gql, pair.token, challenge, outbox.last_code()).codes == ["UNAUTHENTICATED"]


# --- Other methods -----------------------------------------------------------------------------


def test_totp_step_up_sends_nothing_and_adds_otp(gql, user_2fa, user_app, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token, "TOTP")
    assert challenge["method"] == "TOTP"
    assert challenge["codeSent"] is None
    assert challenge["message"] == "Enter the code from your authenticator app."
    assert outbox.messages() == []
    done = complete(gql, pair.token, challenge["challenge"], app_code(user_app))
    assert not done.errors, done.body
    assert done.data["stepUpComplete"]["claims"]["amr"] == ["pwd", "sms", "otp"]
    assert not gql(GENERATE, token=done.data["stepUpComplete"]["token"]).errors


def test_the_preferred_method_is_the_default(gql, user, user_app):
    challenge = started(gql, stale(user, amr=("pwd", "otp")).token)
    assert challenge["method"] == "TOTP"
    assert challenge["methods"] == ["TOTP"]


def test_a_recovery_code_steps_up_once(gql, user_2fa, outbox):
    codes = recovery_codes_generate(user_2fa)
    pair = stale(user_2fa)
    challenge = started(gql, pair.token, "RECOVERY_CODE")
    assert challenge["codeSent"] is None
    assert challenge["message"] == "Enter one of your recovery codes."
    assert outbox.messages() == []
    done = complete(gql, pair.token, challenge["challenge"], codes[0])
    assert not done.errors, done.body
    assert done.data["stepUpComplete"]["claims"]["amr"] == ["pwd", "sms", "rec"]
    assert RecoveryCode.objects.filter(user=user_2fa, used_at=None).count() == len(codes) - 1
    again = started(gql, pair.token, "RECOVERY_CODE")["challenge"]
    assert complete(gql, pair.token, again, codes[0]).codes == ["INVALID_CODE"]


def test_sms_after_the_app_answers_by_resend(gql, user_2fa, user_app, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token, "TOTP")["challenge"]
    sent = gql(RESEND, {"challenge": challenge})
    assert not sent.errors, sent.body
    assert sent.data["resendCode"]["channel"] == "SMS"
    # The same cooldown as a login's.
    assert gql(RESEND, {"challenge": challenge}).codes == ["RATE_LIMITED"]
    done = complete(gql, pair.token, challenge, outbox.last_code())
    assert not done.errors, done.body


def test_call_sends_a_voice_code(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token, "CALL")
    assert challenge["channel"] == "CALL"
    assert outbox.last()["channel"] == "call"
    assert not complete(gql, pair.token, challenge["challenge"], outbox.last_code()).errors


def test_a_refused_send_offers_the_other_ways(gql, user, user_app, outbox):
    PhoneNumber.objects.create(user=user, number="+441212345678", verified_at=timezone.now())
    challenge = started(gql, stale(user).token, "SMS")  # a landline gets no SMS
    assert challenge["codeSent"] is False
    assert challenge["codeNotSentReason"] == "PHONE_REFUSED"
    assert challenge["methods"] == ["TOTP"]
    assert challenge["message"].endswith("Or confirm with your authenticator app.")
    assert outbox.messages() == []


# --- Wrong answers, and challenges that aren't the caller's step-up ---------------------------


def test_wrong_codes_count_down_and_lock(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token)["challenge"]
    right = outbox.last_code()
    wrong = "000000" if right != "000000" else "111111"
    left = []
    for _ in range(twofa_settings.TWOFA_MAX_ATTEMPTS):
        result = complete(gql, pair.token, challenge, wrong)
        assert result.codes == ["INVALID_CODE"]
        left.append(result.error["extensions"]["attemptsLeft"])
    assert left == list(range(twofa_settings.TWOFA_MAX_ATTEMPTS - 1, -1, -1))
    assert complete(gql, pair.token, challenge, right).codes == ["TOO_MANY_ATTEMPTS"]
    assert AuditEvent.objects.filter(kind="locked", detail__purpose="step_up").exists()
    # The back-off of a login applies: the next step-up sends nothing.
    nxt = started(gql, pair.token)
    assert nxt["codeSent"] is False
    assert nxt["codeNotSentReason"] == "RATE_LIMITED"
    assert nxt["retryAfter"] > 0


def test_another_users_challenge_is_unknown(gql, user_2fa, outbox):
    bob = User.objects.create_user(username="bob", password=PASSWORD)
    PhoneNumber.objects.create(user=bob, number="+14155550123", verified_at=timezone.now())
    bobs = started(gql, stale(bob).token)["challenge"]
    result = complete(gql, stale(user_2fa).token, bobs, outbox.last_code())
    assert result.codes == ["CODE_EXPIRED"]
    assert Challenge.objects.get(user=bob).attempts == 0


def test_a_login_challenge_does_not_step_up(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    result = complete(gql, pair.token, login["challenge"], outbox.last_code())
    assert result.codes == ["CODE_EXPIRED"]
    assert complete(gql, pair.token, "made-up", "123456").codes == ["CODE_EXPIRED"]


def test_a_step_up_challenge_never_signs_in(gql, user_2fa, outbox):
    challenge = started(gql, stale(user_2fa).token)["challenge"]
    result = gql(VERIFY_TOKEN, {"challenge": challenge, "code": outbox.last_code()})
    assert result.codes == ["CODE_EXPIRED"]
    assert Challenge.objects.get(purpose="step_up").attempts == 0


def test_a_used_challenge_is_unknown(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token)["challenge"]
    done = complete(gql, pair.token, challenge, outbox.last_code())
    token = done.data["stepUpComplete"]["token"]
    assert complete(gql, token, challenge, outbox.last_code()).codes == ["CODE_EXPIRED"]


def test_a_new_step_up_replaces_the_last_but_not_a_login(gql, user_2fa, user_app, outbox):
    pair = stale(user_2fa)
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    first = started(gql, pair.token, "TOTP")["challenge"]
    started(gql, pair.token, "TOTP")
    assert complete(gql, pair.token, first, app_code(user_app)).codes == ["CODE_EXPIRED"]
    statuses = dict(Challenge.objects.values_list("purpose", "status").order_by("pk")[:1])
    assert statuses == {"login": "pending"}
    assert Challenge.objects.filter(purpose="step_up", status="pending").count() == 1
    assert login["challenge"]


def test_a_step_up_code_ends_another_code_live_to_the_number(gql, user_2fa, outbox):
    # One live verification per number: the sign-in's code on another device ends.
    pair = stale(user_2fa)
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    login_code = outbox.last_code()
    started(gql, pair.token)
    result = gql(VERIFY_TOKEN, {"challenge": login["challenge"], "code": login_code})
    assert result.codes == ["CODE_EXPIRED"]
    assert Challenge.objects.get(purpose="login").status == "replaced"


# --- Browser sessions -----------------------------------------------------------------------


def test_a_browser_session_gets_the_cookie(gql, user_2fa, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token)["challenge"]
    done = gql(
        COMPLETE,
        {"challenge": challenge, "code": outbox.last_code()},
        token=pair.token,
        headers={"X-Pollstr-Session": "browser"},
    )
    assert not done.errors, done.body
    assert done.data["stepUpComplete"]["refreshToken"] is None
    cookie = gql.client.cookies[settings.REFRESH_TOKEN_COOKIE_NAME]
    assert cookie.value
    assert cookie["httponly"]
    row = RefreshToken.objects.get(user=user_2fa, rotated_at=None)
    assert row.client_kind == RefreshToken.ClientKind.BROWSER


# --- Staff ---------------------------------------------------------------------------------


def test_the_admin_lists_step_ups_under_their_purpose(staff_client, gql, user_2fa, outbox):
    pair = stale(user_2fa)
    challenge = started(gql, pair.token)["challenge"]
    wrong = "000000" if outbox.last_code() != "000000" else "111111"
    assert complete(gql, pair.token, challenge, wrong).codes == ["INVALID_CODE"]
    page = staff_client.get("/admin/twofa/challenge/", {"purpose__exact": "step_up"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Step-up (second factor checked again)" in html
    assert "1 challenge" in html or "1 result" in html
    events = staff_client.get("/admin/twofa/auditevent/", {"kind__exact": "wrong_code"})
    assert "step_up" in events.content.decode()
