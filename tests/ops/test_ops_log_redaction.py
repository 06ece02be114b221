"""No code, password, token or credential reaches a log line, at any level.

Every logger is captured at DEBUG while the whole flow runs: sign-up, failed
and right passwords, enrollment, a wrong and a right code, token refresh and
a refresh token replayed, and provider failures at the Twilio and Vonage
stand-ins. One line is excepted, by design: the console provider's
"code for <masked number>: <code>" (twofa/providers/console.py), which exists
to show codes in development and is refused in production (twofa.E001).

The SDK loggers (twilio, vonage) keep the ceilings config/settings.py gives
them: the Vonage SDK logs its credentials at DEBUG, which is why they exist.
"""

import base64
import logging

import pytest

from core.logs import JsonFormatter, RequestContextFilter
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from tests.providers.fixtures import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    VONAGE_API_KEY,
    VONAGE_API_SECRET,
)

pytestmark = pytest.mark.django_db

REGISTER = """mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }"""
VERIFY_PHONE = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"
REGISTER_PHONE = """mutation($p: String!, $c: String!) {
  registerPhone(phoneNumber: $p, code: $c) { token refreshToken } }"""
REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }"
WRONG_PASSWORD = "not-the-password-" + "x" * 8
# Loggers whose level config/settings.py caps on purpose (see the docstring).
SDK_LOGGERS = {"twilio", "vonage"}


def console_code_line(record: logging.LogRecord) -> bool:
    """The console provider's line showing a code: its whole purpose."""
    return (
        record.name == "twofa"
        and record.pathname.endswith("twofa/providers/console.py")
        and record.msg.startswith("code for ")
    )


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.addFilter(RequestContextFilter())
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []
        self.console_lines = 0

    def emit(self, record):
        if console_code_line(record):
            self.console_lines += 1
            return
        self.lines.append(self.format(record))


@pytest.fixture
def logs():
    capture = Capture()
    root = logging.getLogger()
    levels = {}
    names = [""] + [
        n for n in logging.root.manager.loggerDict if n.split(".")[0] not in SDK_LOGGERS
    ]
    for name in names:
        logger = logging.getLogger(name)
        levels[name] = logger.level
        logger.setLevel(logging.DEBUG)
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def assert_absent(lines: list[str], secrets: list[str]):
    text = "\n".join(lines)
    leaked = [s for s in secrets if s and s in text]
    assert leaked == [], f"secret values in the logs: {leaked}"


def test_the_console_flow_logs_no_secret(gql, outbox, logs, settings):
    secrets = [PASSWORD, WRONG_PASSWORD]
    assert not gql(REGISTER, {"u": "dana", "p": PASSWORD}).errors
    assert gql(TOKEN_AUTH, {"username": "dana", "password": WRONG_PASSWORD}).errors
    first = gql(TOKEN_AUTH, {"username": "dana", "password": PASSWORD}).data["tokenAuth"]
    secrets += [first["token"], first["refreshToken"]]
    gql(VERIFY_PHONE, {"p": PHONE}, token=first["token"])
    enrolled = gql(REGISTER_PHONE, {"p": PHONE, "c": outbox.last_code()}, token=first["token"])
    secrets += [outbox.last_code(), *enrolled.data["registerPhone"].values()]

    started = gql(TOKEN_AUTH, {"username": "dana", "password": PASSWORD}).data["tokenAuth"]
    code = outbox.last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    secrets += [started["challenge"], code, wrong]
    assert gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": wrong}).errors
    tokens = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code}).data[
        "verifyToken"
    ]
    secrets += [tokens["token"], tokens["refreshToken"]]
    refreshed = gql(REFRESH, {"r": tokens["refreshToken"]}).data["refreshToken"]
    secrets += [refreshed["token"], refreshed["refreshToken"]]
    # A replay of the spent refresh token, past the leeway: the login ends, and is audited.
    settings.REFRESH_TOKEN_REUSE_LEEWAY = 0
    assert gql(REFRESH, {"r": tokens["refreshToken"]}).errors
    # A forged access token.
    assert gql("{ me { id } }", token=tokens["token"][:-4] + "AAAA").errors is not None

    assert logs.console_lines == 2  # the two codes sent, shown by design
    assert any('"kind": "refresh_token_reused"' in line for line in logs.lines)
    assert any('"kind": "wrong_code"' in line for line in logs.lines)
    assert_absent(logs.lines, secrets)


@pytest.mark.parametrize("provider", ["twilio", "vonage"])
def test_provider_failures_log_no_credential_or_code(gql, user_2fa, logs, provider, request):
    api = request.getfixturevalue(f"{provider}_api")
    secrets = [
        PASSWORD,
        TWILIO_AUTH_TOKEN,
        VONAGE_API_SECRET,
        base64.b64encode(f"{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}".encode()).decode(),
        base64.b64encode(f"{VONAGE_API_KEY}:{VONAGE_API_SECRET}".encode()).decode(),
    ]
    api.fail("start", 500, api.error_body(500, None, "internal trouble"), times=1)
    refused = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    assert refused["codeSent"] is False
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    code = api.last_code()
    secrets += [started["challenge"], code, refused["challenge"]]
    api.fail("check", 500, api.error_body(500, None, "internal trouble"), times=1)
    assert gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code}).errors
    tokens = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": code})
    secrets += list(tokens.data["verifyToken"].values())
    # A provider that times out (its SDK's own exception on the way).
    api.hang("start")
    try:
        gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    finally:
        api.heal()

    assert any('"kind": "send_failed"' in line for line in logs.lines)
    assert_absent(logs.lines, [s for s in secrets if isinstance(s, str)])


def test_the_capture_would_see_a_leak(logs):
    """The net itself: a secret logged anywhere, at DEBUG, is caught."""
    logging.getLogger("accounts.anything").debug("password=%s", PASSWORD)
    with pytest.raises(AssertionError, match="secret values"):
        assert_absent(logs.lines, [PASSWORD])
