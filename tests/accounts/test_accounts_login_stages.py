"""The password step asks the login stages named in ACCOUNTS_LOGIN_STAGES: a
stage registered from outside accounts stops tokenAuth with its own answer,
and the checks refuse a list that names no stage or leaves out twofa's."""

from accounts.checks import check_login_stages
from accounts.stages import LoginPending, LoginStage
from tests.documents import PASSWORD, TOKEN_AUTH
from twofa.stages import check_second_factor_stage

SECOND_FACTOR_STAGE = "twofa.stages.SecondFactorStage"


class TermsStage(LoginStage):
    """A stage of the test suite's: everyone accepts the terms before signing in."""

    key = "terms"

    def is_needed(self, user):
        return True

    def start(self, request, user, *, ip):
        return LoginPending(stage=self.key, answer={"message": "Accept the terms first."})


def test_a_registered_stage_stops_the_password_login(gql, user, settings):
    settings.ACCOUNTS_LOGIN_STAGES = [f"{__name__}.TermsStage", SECOND_FACTOR_STAGE]

    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    assert login["twoFactorRequired"] is True
    assert login["token"] is None and login["refreshToken"] is None
    assert login["message"] == "Accept the terms first."


def test_twofa_stage_answers_for_a_user_with_a_phone(gql, user_2fa, outbox):
    login = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]

    assert login["twoFactorRequired"] is True and login["challenge"]
    assert login["phoneNumber"].endswith(outbox.last()["to"][-4:])
    assert login["message"] == f"A verification code was sent to {login['phoneNumber']}."


def test_check_refuses_a_stage_that_is_not_one(settings):
    assert check_login_stages(None) == []
    settings.ACCOUNTS_LOGIN_STAGES = ["accounts.models.User", "no.such.Stage"]
    assert [e.id for e in check_login_stages(None)] == ["accounts.E001", "accounts.E001"]


def test_check_refuses_a_login_without_twofa_stage(settings):
    assert check_second_factor_stage(None) == []
    settings.ACCOUNTS_LOGIN_STAGES = [f"{__name__}.TermsStage"]
    assert [e.id for e in check_second_factor_stage(None)] == ["twofa.E010"]
