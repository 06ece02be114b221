"""Every answer carries a request id; every log line of a request names it, and
a GraphQL request's lines name the caller and the operation. Production lines
are JSON, one object a line."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.logs import JsonFormatter, RequestContextFilter
from tests.documents import PASSWORD, TOKEN_AUTH

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_lines():
    """Lines written by the production handler setup (filter + JSON formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_request_id_is_generated_and_echoed(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_clients_request_id_is_ignored_without_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    response = client.get("/healthz", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert response["X-Request-ID"] != "chosen-by-the-client"


def test_the_proxys_request_id_is_kept_behind_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz", HTTP_X_REQUEST_ID="4bf92f3577b34da6a3ce929d0e0e4736")
    assert response["X-Request-ID"] == "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.mark.parametrize(
    "hostile",
    ['x"} {"level": "ERROR', "a b", "a\tb", "é" * 4, "x" * 129, "", "<script>"],
)
def test_a_hostile_request_id_is_replaced_even_behind_a_trusted_proxy(client, settings, hostile):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


def test_graphql_log_lines_name_the_request_the_caller_and_the_operation(
    gql, user_2fa, outbox, log_lines, client
):
    gql(
        "mutation SignIn($username: String!, $password: String!) "
        "{ tokenAuth(username: $username, password: $password) { challenge } }",
        {"username": "alice", "password": PASSWORD},
    )
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert started.data["tokenAuth"]["challenge"]
    audit = [line for line in log_lines() if line["logger"] == "twofa.audit"]
    assert audit, "the send is audited as a log record"
    line = audit[0]
    assert line["operation"] == "SignIn"
    assert len(line["request_id"]) == 32
    assert line["audit"]["kind"] == "code_sent"
    assert line["audit"]["phone"] == "+1******2671"


def test_the_user_id_of_a_signed_in_caller_is_on_its_lines(gql, user, outbox, log_lines):
    token = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    gql(
        "mutation Enroll($p: String!) { verifyPhone(phoneNumber: $p) { sent } }",
        {"p": "+14155552671"},
        token=token["token"],
    )
    sent = [line for line in log_lines() if line.get("audit", {}).get("kind") == "code_sent"]
    assert [(line["user_id"], line["operation"]) for line in sent] == [(user.pk, "Enroll")]


def test_lines_outside_a_request_say_so():
    record = logging.LogRecord("app", logging.WARNING, __file__, 1, "plain %s", ("words",), None)
    RequestContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "plain words"
    assert (line["request_id"], line["user_id"], line["operation"]) == ("-", "-", "-")


def test_a_message_with_newlines_stays_one_json_line():
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "a\nb %s", ('"}\n{',), None)
    RequestContextFilter().filter(record)
    formatted = JsonFormatter().format(record)
    assert "\n" not in formatted
    assert json.loads(formatted)["message"] == 'a\nb "}\n{'


@pytest.mark.parametrize(
    ("environment", "formatter"),
    [
        ({"DEBUG": "1"}, "plain"),
        ({"DEBUG": "0"}, "json"),
        ({"DEBUG": "1", "LOG_FORMAT": "json"}, "json"),
    ],
)
def test_json_lines_in_production_and_human_lines_under_debug(environment, formatter):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "LOG_FORMAT")},
        "SECRET_KEY": "x" * 50,
        **environment,
    }
    chosen = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.LOGGING['handlers']['console']['formatter'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert chosen == formatter


def test_a_page_on_an_allowed_origin_may_read_the_request_id(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = client.post(
        "/graphql",
        {"query": "{ __typename }"},
        content_type="application/json",
        HTTP_ORIGIN="https://app.example.com",
    )
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "x-request-id" in response["Access-Control-Expose-Headers"].lower()
    assert response["X-Request-ID"]
