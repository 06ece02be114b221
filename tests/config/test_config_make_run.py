"""`make run` for a newcomer: the URLs it serves, its development settings, a clean `git status`."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

needs_make = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def make(*args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "ALLOWED_HOSTS"} | env
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def run_environment(*args: str) -> dict[str, str]:
    """The environment `make run` starts the server with (from a dry run)."""
    [line] = [line for line in make("-n", "run", *args).splitlines() if "runserver" in line]
    assert line.startswith("DEBUG=1 "), line
    words = shlex.split(line)
    return dict(w.split("=", 1) for w in words[: words.index(".venv/bin/python")])


@needs_make
def test_make_run_prints_the_urls_it_serves_on_the_chosen_port():
    printed = make("-s", "urls", "PORT=9123")

    for path in ("/", "/graphql", "/admin/", "/dev/outbox"):
        assert f"http://localhost:9123{path} " in printed
    assert "127.0.0.1" not in printed.replace("Serving on 127.0.0.1:9123", "")


@needs_make
def test_make_run_serves_on_the_chosen_host_and_port_and_admits_a_host_name():
    dry_run = make("-n", "run", "HOST=pollstr.test", "PORT=9123")
    assert "runserver pollstr.test:9123" in dry_run
    assert "http://pollstr.test:9123/ " in make("-s", "urls", "HOST=pollstr.test", "PORT=9123")
    hosts = run_environment("HOST=pollstr.test")["ALLOWED_HOSTS"].split(",")
    assert hosts == ["127.0.0.1", "localhost", "pollstr.test"]


@needs_make
def test_allowed_hosts_from_the_environment_wins():
    [line] = [
        line
        for line in make("-n", "run", ALLOWED_HOSTS="dev.example,localhost").splitlines()
        if "runserver" in line
    ]
    assert " ALLOWED_HOSTS=dev.example,localhost " in line


@needs_make
def test_make_run_sizes_send_limits_for_an_afternoon_and_keeps_an_outbox(settings):
    env = run_environment()

    assert env["DEBUG"] == "1"
    for name in (
        "TWOFA_SEND_LIMIT_PER_PHONE",
        "TWOFA_ENROLL_SEND_LIMIT_PER_USER",
        "TWOFA_SEND_LIMIT_PER_USER",
        "TWOFA_SEND_LIMIT_PER_IP",
        "REGISTER_LIMIT_PER_IP",
    ):
        assert int(env[name]) >= 10 * getattr(settings, name), name
    assert int(env["TWOFA_RESEND_COOLDOWN"]) < settings.TWOFA_RESEND_COOLDOWN
    # The production defaults are unchanged.
    assert (settings.TWOFA_SEND_LIMIT_PER_PHONE, settings.TWOFA_RESEND_COOLDOWN) == (5, 30)
    assert env["TWOFA_CONSOLE_OUTBOX"] == "var/outbox.jsonl"


def development_settings(**env: str) -> dict:
    code = (
        "import json; from django.conf import settings;"
        "print(json.dumps({'hosts': settings.ALLOWED_HOSTS, 'debug': settings.DEBUG}))"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"ALLOWED_HOSTS", "DEBUG"}}
    environment |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"} | env
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_debug_admits_localhost_and_the_loopback_address():
    from django.http.request import validate_host

    hosts = development_settings()["hosts"]

    assert validate_host("localhost", hosts) and validate_host("127.0.0.1", hosts)


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
@pytest.mark.parametrize(
    "path",
    ["db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "db.sqlite3-journal", "var/outbox.jsonl"],
)
def test_what_make_run_writes_is_ignored_by_git(path):
    ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, timeout=30)
    assert ignored.returncode == 0, f"{path} would show in `git status`"


@needs_make
def test_the_outbox_make_run_writes_is_the_ignored_one():
    assert re.fullmatch(r"var/[\w.-]+", run_environment()["TWOFA_CONSOLE_OUTBOX"])


@needs_make
def test_make_reset_demo_reseeds_with_reset_on_the_run_settings():
    [line] = [line for line in make("-n", "reset-demo").splitlines() if "seed_demo" in line]
    assert line.endswith("manage.py seed_demo --reset")
    assert "DEBUG=1" in line
