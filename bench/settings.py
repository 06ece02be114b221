"""Settings for the benchmark harness (bench/run.py): production settings plus the
comparison views (bench/urls.py: a plain view, the DRF + simplejwt peer) and no
limits in the way of repeated logins."""

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
# Rows 6 and 7 compare everything but the password hash: both stacks' logins
# then check an MD5 hash, which costs nothing.
if os.environ.get("BENCH_FREE_HASH") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
# The peer (bench/peer/): DRF as its documentation sets it up, simplejwt's
# tokens (signed with the same key) for authentication.
INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework"]  # noqa: F405
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
}
# Per-request INFO logs (codes sent, votes) would measure the terminal.
LOGGING["loggers"].update(  # noqa: F405
    {name: {"level": "WARNING"} for name in ("twofa", "twofa.audit", "accounts", "polls")}
)
