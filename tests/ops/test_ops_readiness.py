"""/readyz: ready when /healthz is, every migration is applied and the
configured providers have their settings; 503 naming what is not."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from ops import views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_migrations(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


def test_ready_with_migrations_applied_and_the_console_provider(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "migrations": "ok",
        "providers": "ok",
    }


def test_migrations_are_asked_once_per_process_not_per_probe(client):
    client.get("/readyz")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/readyz").status_code == 200
    assert [q["sql"] for q in queries] == ["SELECT 1"]


def test_not_ready_while_a_migration_is_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"
    assert response.json()["status"] == "unavailable"


def test_not_ready_when_a_configured_provider_lacks_its_settings(client, settings):
    settings.TWOFA_PROVIDER = "console,twilio"
    settings.TWILIO_ACCOUNT_SID = "AC-not-a-secret-but-set"
    settings.TWILIO_AUTH_TOKEN = ""
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["providers"] == "unconfigured: twilio"
    assert "AC-not-a-secret-but-set" not in response.content.decode()


def test_healthz_still_asks_only_the_database_and_the_cache(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()])
    response = client.get("/healthz")
    assert response.status_code == 200
    assert set(response.json()) == {"status", "database", "cache"}
