"""A production configuration passes Django's deployment checks and speaks HTTPS only."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from twofa.checks import check_shared_cache

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_reports_nothing_for_a_production_configuration():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "pollstr.example",
        "TWOFA_ALLOW_CONSOLE_PROVIDER": "1",
        "DATABASE_URL": "postgres://pollstr@127.0.0.1:5432/pollstr",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "WEBAUTHN_RP_ID": "pollstr.example",
        "WEBAUTHN_ALLOWED_ORIGINS": "https://pollstr.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_limits_are_per_process(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in check_shared_cache(None)] == ["twofa.W001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert check_shared_cache(None) == []


def test_plain_http_is_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.post(
        "/graphql", data={"query": "{ polls { id } }"}, content_type="application/json"
    )
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_security_headers_on_graphql_answers(client, db):
    response = client.post(
        "/graphql", data={"query": "{ polls { id } }"}, content_type="application/json"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_https_answers_carry_hsts(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.post(
        "/graphql", data={"query": "{ polls { id } }"}, content_type="application/json", secure=True
    )
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
