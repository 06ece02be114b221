"""One-time recovery codes: generated once, stored hashed, each usable once."""

import re

import pytest

from tests.documents import PASSWORD
from twofa.models import AuditEvent, RecoveryCode

GENERATE = "mutation { generateRecoveryCodes { codes } }"
LOGIN = """
mutation($u: String!, $p: String!) {
  tokenAuth(username: $u, password: $p) { twoFactorRequired challenge method methods }
}
"""
VERIFY = """
mutation($challenge: String!, $code: String!, $method: TwoFactorMethod) {
  verifyToken(challenge: $challenge, code: $code, method: $method) { token payload }
}
"""
ME = "{ me { twoFactor { methods recoveryCodesRemaining } } }"


@pytest.fixture
def codes(gql, user_2fa, verified_login) -> list[str]:
    token = verified_login()["token"]
    result = gql(GENERATE, token=token)
    assert not result.errors, result.body
    return result.data["generateRecoveryCodes"]["codes"]


def login(gql) -> dict:
    return gql(LOGIN, {"u": "alice", "p": PASSWORD}).data["tokenAuth"]


def use(gql, code: str):
    started = login(gql)
    return gql(VERIFY, {"challenge": started["challenge"], "code": code, "method": "RECOVERY_CODE"})


def test_ten_distinct_codes_shown_once_and_stored_hashed(codes, user_2fa):
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    stored = " ".join(
        f"{row.salt} {row.digest}" for row in RecoveryCode.objects.filter(user=user_2fa)
    )
    for code in codes:
        assert code.replace("-", "") not in stored
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.RECOVERY_CODES_GENERATED).count() == 1


def test_login_lists_recovery_codes_and_one_signs_in(gql, codes, user_2fa, outbox):
    started = login(gql)
    assert started["method"] == "SMS"
    assert started["methods"] == ["SMS", "CALL", "RECOVERY_CODE"]

    result = gql(
        VERIFY, {"challenge": started["challenge"], "code": codes[0], "method": "RECOVERY_CODE"}
    )

    assert result.data["verifyToken"]["payload"]["amr"] == ["pwd", "rec"]
    used = AuditEvent.objects.get(kind=AuditEvent.Kind.RECOVERY_CODE_USED)
    assert used.user == user_2fa and used.detail["remaining"] == 9
    me = gql(ME, token=result.data["verifyToken"]["token"]).data["me"]["twoFactor"]
    assert me["recoveryCodesRemaining"] == 9


def test_each_code_works_once(gql, codes):
    assert use(gql, codes[1]).data["verifyToken"]
    again = use(gql, codes[1])
    assert again.codes == ["INVALID_CODE"]


def test_codes_are_read_forgivingly(gql, codes):
    spoken = "  " + codes[2].upper().replace("-", " ") + " "
    assert use(gql, spoken).data["verifyToken"]


def test_new_codes_replace_the_old_set(gql, codes, user_2fa):
    token = use(gql, codes[3]).data["verifyToken"]["token"]

    fresh = gql(GENERATE, token=token).data["generateRecoveryCodes"]["codes"]

    assert not set(fresh) & set(codes)
    assert use(gql, codes[4]).codes == ["INVALID_CODE"]
    assert use(gql, fresh[0]).data["verifyToken"]


def test_generating_needs_a_2fa_verified_token(gql, user_2fa, password_token):
    from accounts.tokens import token_pair_issue

    pwd_only = token_pair_issue(user_2fa, amr=["pwd"]).token
    assert gql(GENERATE, token=pwd_only).codes == ["TWO_FACTOR_REQUIRED"]
    assert gql(GENERATE).codes == ["UNAUTHENTICATED"]


def test_wrong_recovery_codes_count_against_the_challenge(gql, codes):
    started = login(gql)
    answers = [
        gql(
            VERIFY,
            {"challenge": started["challenge"], "code": "aaaaa-bbbbb", "method": "RECOVERY_CODE"},
        )
        for _ in range(5)
    ]
    assert [a.error["extensions"]["attemptsLeft"] for a in answers] == [4, 3, 2, 1, 0]
    last = gql(
        VERIFY, {"challenge": started["challenge"], "code": codes[5], "method": "RECOVERY_CODE"}
    )
    assert last.codes == ["TOO_MANY_ATTEMPTS"]
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 0


def test_without_codes_the_method_is_refused(gql, user_2fa, outbox):
    started = login(gql)
    assert "RECOVERY_CODE" not in started["methods"]
    result = gql(
        VERIFY,
        {"challenge": started["challenge"], "code": "aaaaa-bbbbb", "method": "RECOVERY_CODE"},
    )
    assert result.codes == ["BAD_USER_INPUT"]


def test_disabling_2fa_removes_the_codes(gql, codes, verified_login):
    token = verified_login()["token"]
    gql("mutation { disableTwoFactor { user { id } } }", token=token)
    assert RecoveryCode.objects.count() == 0
