"""Two server processes sharing PostgreSQL and Redis enforce one send limit together.

Runs in the PostgreSQL + Redis pass of CI (DATABASE_URL and REDIS_URL set).
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from accounts.models import User
from accounts.tokens import token_pair_issue
from tests.documents import PASSWORD, PHONE
from tests.e2e.conftest import free_port, production_env

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
