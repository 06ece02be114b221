"""/metrics under `make serve`'s gunicorn with two workers: after the README
flow, each counter moved by exactly what the flow did, whichever worker
answered each request (and workers replaced on the way lose nothing).

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
from prometheus_client.parser import text_string_to_metric_families

from polls.models import Choice, Poll
from tests.e2e.conftest import free_port, production_env

ROOT = Path(__file__).resolve().parents[2]
METRICS_TOKEN = "metrics-" + "e2e" * 12
PHONE = "+14155552671"
PASSWORD = "a-long-pass-phrase"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)",
    ),
]


@pytest.fixture
def served(tmp_path):
    """`make serve`'s gunicorn (config/gunicorn.conf.py, two workers), each
    worker replaced after a few requests so the flow spans several processes."""
    outbox = tmp_path / "outbox.jsonl"
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"left over by an earlier run")
    port = free_port()
    env = production_env(
        outbox,
        METRICS_TOKEN=METRICS_TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        WHITENOISE_USE_FINDERS="1",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "config/gunicorn.conf.py",
            # Each worker is replaced after this many requests (gunicorn's own option).
            "--max-requests",
            "4",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]
            try:
                requests.get(f"{base}/healthz", timeout=2)
                break
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield base, outbox, metrics_dir
    finally:
        process.terminate()
        process.wait(timeout=20)


def scrape(base: str) -> dict[tuple, float]:
    response = requests.get(
        f"{base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
    )
    assert response.status_code == 200
    values = {}
    for family in text_string_to_metric_families(response.text):
        for s in family.samples:
            values[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return values


def delta(before: dict, after: dict, name: str, **labels) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_the_readme_flow_moves_each_counter_by_exactly_its_steps(served):
    base, outbox, metrics_dir = served
    poll = Poll.objects.create(question="Best season?")
    summer = Choice.objects.create(poll=poll, text="Summer")

    def api(query, variables=None, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # A new connection each time: any worker may answer.
        body = {"query": query, "variables": variables or {}}
        return requests.post(f"{base}/graphql", json=body, headers=headers, timeout=10).json()

    def last_code():
        return json.loads(outbox.read_text().splitlines()[-1])["code"]

    before = scrape(base)
    api(f'mutation {{ register(username: "dana", password: "{PASSWORD}") {{ user {{ id }} }} }}')
    token_auth = (
        f'mutation {{ tokenAuth(username: "dana", password: "{PASSWORD}") '
        "{ twoFactorRequired token challenge } }"
    )
    password_token = api(token_auth)["data"]["tokenAuth"]["token"]
    vote = "mutation($c: ID!) { vote(choiceId: $c) { poll { totalVotes } } }"
    refused = api(vote, {"c": str(summer.pk)}, password_token)
    assert refused["errors"][0]["extensions"]["code"] == "TWO_FACTOR_REQUIRED"
    api(
        "mutation($p: String!) { verifyPhone(phoneNumber: $p) { sent } }",
        {"p": PHONE},
        password_token,
    )
    enrolled = api(
        "mutation($p: String!, $c: String!) { registerPhone(phoneNumber: $p, code: $c) { token } }",
        {"p": PHONE, "c": last_code()},
        password_token,
    )["data"]["registerPhone"]
    assert api(vote, {"c": str(summer.pk)}, enrolled["token"])["data"]["vote"]
    login = api(token_auth)["data"]["tokenAuth"]
    assert login["twoFactorRequired"] is True
    verify = (
        "mutation($ch: String!, $c: String!) { verifyToken(challenge: $ch, code: $c) { token } }"
    )
    wrong = f"{(int(last_code()) + 1) % 1_000_000:06d}"
    assert api(verify, {"ch": login["challenge"], "c": wrong})["errors"]
    token = api(verify, {"ch": login["challenge"], "c": last_code()})["data"]["verifyToken"][
        "token"
    ]
    assert api(vote, {"c": str(summer.pk)}, token)["data"]["vote"]
    after = scrape(base)

    def moved(name, **labels):
        return delta(before, after, name, **labels)

    sent = {"provider": "console", "channel": "sms", "country": "US", "outcome": "sent"}
    assert moved("twofa_codes_sent_total", **sent) == 2
    assert moved("twofa_challenges_total", purpose="enroll", event="started") == 1
    assert moved("twofa_challenges_total", purpose="enroll", event="verified") == 1
    assert moved("twofa_challenges_total", purpose="login", event="started") == 1
    assert moved("twofa_challenges_total", purpose="login", event="verified") == 1
    assert moved("twofa_verifications_total", method="sms", outcome="verified") == 2
    assert moved("twofa_verifications_total", method="sms", outcome="wrong") == 1
    assert moved("twofa_provider_request_seconds_count", provider="console", operation="start") == 2
    operations = "pollstr_graphql_operations_total"
    assert moved(operations, operation_type="mutation", field="vote", outcome="ok") == 2
    assert (
        moved(operations, operation_type="mutation", field="vote", outcome="TWO_FACTOR_REQUIRED")
        == 1
    )
    assert (
        moved(operations, operation_type="mutation", field="verifyToken", outcome="INVALID_CODE")
        == 1
    )
    assert moved(operations, operation_type="mutation", field="tokenAuth", outcome="ok") == 2
    # Ten GraphQL requests (each answered 200, errors in the body), and the first scrape.
    assert moved("pollstr_http_requests_total", view="graphql", status="2xx") == 10
    assert moved("pollstr_http_requests_total", view="metrics", status="2xx") == 1

    # The requests were answered by several worker processes (each replaced
    # after 4 requests), and the earlier run's file was cleared at start.
    counter_files = sorted(p.name for p in metrics_dir.glob("counter_*.db"))
    assert len(counter_files) >= 3
    assert "counter_999999.db" not in counter_files
