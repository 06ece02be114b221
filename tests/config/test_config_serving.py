"""Production serving: `make serve` (gunicorn, DEBUG off, whitenoise) and /healthz."""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_answers_when_database_and_cache_do(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_cache_is_down(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


def test_healthz_is_503_when_the_database_is_down():
    # A real process whose database (PostgreSQL on a port where nothing listens) can't be reached.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "TWOFA_ALLOW_CONSOLE_PROVIDER": "1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nothing",
    }
    env.pop("REDIS_URL", None)
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, json.dumps(r.json()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert "password" not in result.stderr.lower()


@pytest.fixture
def served(tmp_path):
    """`make serve` on a free port, SQLite in tmp_path, with only what the README asks for."""
    if shutil.which("npm") is None:
        pytest.skip("make serve installs GraphiQL's assets with npm")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "ALLOWED_HOSTS"}},
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "TWOFA_ALLOW_CONSOLE_PROVIDER": "1",
        "BIND": f"127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read().decode()[-3000:]
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # a worker still booting on a busy machine answers late
            assert time.monotonic() < deadline, "make serve did not come up"
            time.sleep(0.3)
        yield base, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _children(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in result.stdout.split()]


def test_make_serve_runs_gunicorn_with_debug_off(served):
    base, process = served

    assert requests.get(f"{base}/healthz", timeout=5).json()["status"] == "ok"
    answer = requests.post(f"{base}/graphql", json={"query": "{ polls { id } }"}, timeout=5)
    assert answer.json() == {"data": {"polls": []}}
    # Static files through whitenoise, compressed, from the collected folder.
    asset = requests.get(
        f"{base}/static/vendor/graphiql.min.js", headers={"Accept-Encoding": "gzip"}, timeout=5
    )
    assert asset.status_code == 200 and asset.headers["Content-Encoding"] == "gzip"
    page = requests.get(f"{base}/", timeout=5)
    assert (
        page.status_code == 200 and "default-src 'self'" in page.headers["Content-Security-Policy"]
    )
    # DEBUG is off: no debug page, no GraphiQL.
    missing = requests.get(f"{base}/no-such-page", timeout=5)
    assert missing.status_code == 404 and "URLconf" not in missing.text
    graphiql = requests.get(f"{base}/graphql", headers={"Accept": "text/html"}, timeout=5)
    assert graphiql.headers["Content-Type"].startswith("application/json")
    # gunicorn's master (make exec'd it) with the default 2 workers.
    [master] = _children(process.pid) or [process.pid]
    assert len(_children(master)) == 2
