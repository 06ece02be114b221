"""Two server processes sharing PostgreSQL and Redis enforce one send limit together,
and a step-up begun on one completes on the other.

Runs in the PostgreSQL + Redis pass of CI (DATABASE_URL and REDIS_URL set).
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, PHONE
from tests.e2e.conftest import free_port, production_env
from twofa.models import PhoneNumber

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)",
    ),
]

VERIFY_PHONE = "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }"


@pytest.fixture
def two_servers(tmp_path):
    """Two gunicorn processes (one worker each) on the test database and the test Redis."""
    outbox = tmp_path / "outbox.jsonl"
    env = production_env(outbox)
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}/graphql" for port in ports]
    try:
        deadline = time.monotonic() + 30
        for url, process in zip(urls, processes, strict=True):
            while True:
                assert process.poll() is None, process.stderr.read().decode()[-2000:]
                try:
                    requests.post(url, json={"query": "{ __typename }"}, timeout=2)
                    break
                except (requests.ConnectionError, requests.Timeout):
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.2)
        yield urls, outbox
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def test_the_per_phone_send_limit_holds_across_processes(two_servers):
    (first, second), outbox = two_servers
    user = User.objects.create_user("alice", password=PASSWORD)
    token = token_pair_issue(user, amr=["pwd"]).token
    headers = {"Authorization": f"Bearer {token}"}

    def send(url):
        body = {"query": VERIFY_PHONE, "variables": {"p": PHONE}}
        return requests.post(url, json=body, headers=headers, timeout=30).json()

    # Five sends spread over both processes are within the limit of 5 per hour.
    for url in (first, second, first, second, first):
        assert send(url)["data"]["verifyPhone"]["sent"] is True
    # The sixth is refused, by whichever process gets it.
    for url in (second, first):
        answer = send(url)
        assert answer["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert answer["errors"][0]["extensions"]["retryAfter"] > 0

    assert len(outbox.read_text().splitlines()) == 5


SIGN_IN = """mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) {
  outcome { ... on LoginChallenge { challenge } } } }"""
VERIFY = """mutation($c: String!, $code: String!) { verifyToken(challenge: $c, code: $code) {
  token refreshToken claims { authTime } } }"""
SESSIONS = "{ me { sessions { id current } } }"
STEP_UP_BEGIN = "mutation { stepUpBegin(method: SMS) { challenge codeSent methods } }"
STEP_UP_COMPLETE = """mutation($c: String!, $code: String!) { stepUpComplete(challenge: $c, code: $code) {
  token refreshToken claims { authTime amr } } }"""


def test_a_browser_sessions_step_up_begun_on_one_process_completes_on_the_other(two_servers):
    """Step-up over HTTP against production servers (DEBUG off): the challenge
    lives in the shared database, the session goes on (same sid), and the
    refresh token comes only as a Secure, HttpOnly cookie."""
    (first, second), outbox = two_servers
    # Hashed as the production servers hash (the test settings' MD5 is not theirs).
    with override_settings(PASSWORD_HASHERS=settings.PRODUCTION_PASSWORD_HASHERS):
        user = User.objects.create_user("bob", password=PASSWORD)
    PhoneNumber.objects.create(user=user, number=PHONE, verified_at=timezone.now())
    browser = {"X-Pollstr-Session": "browser"}

    def call(url, query, variables=None, token=None):
        headers = {**browser, **({"Authorization": f"Bearer {token}"} if token else {})}
        body = {"query": query, "variables": variables or {}}
        return requests.post(url, json=body, headers=headers, timeout=30)

    def last_code():
        return json.loads(outbox.read_text().splitlines()[-1])["code"]

    answer = call(first, SIGN_IN, {"u": "bob", "p": PASSWORD}).json()
    assert answer["data"]["tokenAuth"], answer
    challenge = answer["data"]["tokenAuth"]
    signed_in = call(first, VERIFY, {"c": challenge["outcome"]["challenge"], "code": last_code()})
    assert "data" in signed_in.json(), signed_in.text
    session = signed_in.json()["data"]["verifyToken"]
    assert session["refreshToken"] is None  # a browser session: the cookie has it
    before = call(first, SESSIONS, token=session["token"]).json()["data"]["me"]["sessions"]
    assert [s["current"] for s in before] == [True]

    begun = call(first, STEP_UP_BEGIN, token=session["token"]).json()["data"]["stepUpBegin"]
    assert begun["codeSent"] is True
    assert json.loads(outbox.read_text().splitlines()[-1])["purpose"] == "step_up"
    wrong = str((int(last_code()) + 1) % 1_000_000).zfill(6)
    refused = call(
        second, STEP_UP_COMPLETE, {"c": begun["challenge"], "code": wrong}, session["token"]
    )
    assert refused.json()["errors"][0]["extensions"]["code"] == "INVALID_CODE"
    stepped = call(
        second, STEP_UP_COMPLETE, {"c": begun["challenge"], "code": last_code()}, session["token"]
    )
    fresh = stepped.json()["data"]["stepUpComplete"]
    assert fresh["refreshToken"] is None
    # The same session, not a new one.
    after = call(first, SESSIONS, token=fresh["token"]).json()["data"]["me"]["sessions"]
    assert after == before
    assert fresh["claims"]["authTime"] >= session["claims"]["authTime"]
    assert fresh["claims"]["amr"] == ["pwd", "sms"]
    cookie = stepped.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
    # The step-up-gated change goes through with the new token, on either process.
    codes = call(first, "mutation { generateRecoveryCodes { codes } }", token=fresh["token"]).json()
    assert len(codes["data"]["generateRecoveryCodes"]["codes"]) == 10
