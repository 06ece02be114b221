import os
import socket
from pathlib import Path

from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection

# The live test server listens with a backlog of 10; the concurrency tests open
# 50 connections at once, which a production server (gunicorn: 2048) accepts.
ThreadedWSGIServer.request_queue_size = 128


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database (PostgreSQL), as a DATABASE_URL for another process."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(outbox: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server process (config.settings, DEBUG
    off, plain HTTP on 127.0.0.1) on the test database and the test Redis, its
    codes written to `outbox` by the console provider; `extra` adds to it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "TWOFA_ALLOW_CONSOLE_PROVIDER": "1",
        "TWOFA_CONSOLE_OUTBOX": str(outbox),
        **extra,
    }
