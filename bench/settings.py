"""Settings for the benchmark harness (bench/run.py): production settings plus a
comparison view (bench/urls.py) and no limits in the way of repeated logins."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-any-deployment-0000")
os.environ.setdefault("TWOFA_ALLOW_CONSOLE_PROVIDER", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Limits would stop a benchmark that logs in hundreds of times (0 turns one off).
for name in (
    "TWOFA_SEND_LIMIT_PER_PHONE",
    "TWOFA_SEND_LIMIT_PER_USER",
    "TWOFA_SEND_LIMIT_PER_IP",
    "TWOFA_SEND_LIMIT_GLOBAL",
    "LOGIN_FAILURE_LIMIT_PER_USERNAME",
    "LOGIN_FAILURE_LIMIT_PER_IP",
    "LOGIN_FAILURE_CEILING_PER_USERNAME",
):
    os.environ.setdefault(name, "0")

from config.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
# Per-request INFO logs (codes sent, votes) would measure the terminal.
LOGGING["loggers"].update(  # noqa: F405
    {name: {"level": "WARNING"} for name in ("twofa", "twofa.audit", "accounts", "polls")}
)
