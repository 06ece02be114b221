"""CORS for single-page apps on other origins, over real HTTP: the preflight a
browser sends for what Apollo Client and tracing SDKs add to each request, the
methods the endpoint answers and nothing else, and the settings read from the
environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "https://app.example.com"
# What a browser asks for when Apollo's client awareness and a W3C or Sentry
# tracing SDK are on.
CLIENT_HEADERS = [
    "authorization",
    "content-type",
    "apollographql-client-name",
    "apollographql-client-version",
    "traceparent",
    "tracestate",
    "baggage",
    "sentry-trace",
]


def preflight(live_server, *, method="POST", headers=CLIENT_HEADERS) -> requests.Response:
    return requests.options(
        f"{live_server.url}/graphql",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": ",".join(headers),
        },
        timeout=10,
    )


def listed(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",") if item.strip()}


def test_apollo_and_tracing_headers_pass_the_preflight(live_server, settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    response = preflight(live_server)

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert set(CLIENT_HEADERS) <= listed(response.headers["Access-Control-Allow-Headers"])


def test_only_the_methods_the_endpoint_answers_are_advertised(live_server, settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    response = preflight(live_server, method="DELETE")

    assert listed(response.headers["Access-Control-Allow-Methods"]) == {"get", "post", "options"}


def test_the_preflight_may_be_cached_for_the_configured_time(live_server, settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    settings.CORS_PREFLIGHT_MAX_AGE = 600

    response = preflight(live_server)

    assert response.headers["Access-Control-Max-Age"] == "600"


def test_a_header_left_out_of_the_setting_is_not_allowed(live_server, settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    settings.CORS_ALLOW_HEADERS = ["authorization", "content-type"]

    response = preflight(live_server, headers=["content-type", "x-custom"])

    assert "x-custom" not in listed(response.headers["Access-Control-Allow-Headers"])


def settings_from(env: dict) -> dict:
    script = (
        "import json, config.settings as s; print(json.dumps({'headers': s.CORS_ALLOW_HEADERS, "
        "'methods': s.CORS_ALLOW_METHODS, 'max_age': s.CORS_PREFLIGHT_MAX_AGE}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_cors_settings_come_from_the_environment():
    defaults = settings_from({})
    configured = settings_from(
        {
            "CORS_ALLOW_HEADERS": "Content-Type, Authorization, X-Team",
            "CORS_PREFLIGHT_MAX_AGE": "60",
        }
    )

    assert set(CLIENT_HEADERS) <= set(defaults["headers"])
    assert defaults["methods"] == ["GET", "OPTIONS", "POST"]
    assert defaults["max_age"] == 3600
    assert configured["headers"] == ["content-type", "authorization", "x-team"]
    assert configured["max_age"] == 60
