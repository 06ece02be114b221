"""Shared fixtures: a GraphQL client, the console outbox, users with and without 2FA."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from polls.models import Choice, Poll
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH, VERIFY_TOKEN
from twofa.models import PhoneNumber

# The provider stand-ins' fixtures (twilio_api, vonage_api, failover).
pytest_plugins = ["tests.providers.fixtures"]


@dataclass
class GraphQLResponse:
    status: int
    body: dict
    headers: dict = field(default_factory=dict)

    @property
    def data(self) -> dict | None:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict]:
        return self.body.get("errors") or []

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]

    @property
    def error(self) -> dict:
        assert len(self.errors) == 1, self.body
        return self.errors[0]


class GraphQLClient:
    def __init__(self, client: Client):
        self.client = client

    def __call__(
        self, query, variables=None, *, token=None, headers=None, remote_addr="127.0.0.1"
    ) -> GraphQLResponse:
        # What Apollo Client 4 sends: a refused document answers 400 (schema/negotiation.py).
        extra = {"Accept": "application/graphql-response+json,application/json;q=0.9"}
        extra.update(headers or {})
        if token:
            extra["Authorization"] = f"Bearer {token}"
        payload = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        response = self.client.post(
            "/graphql",
            data=json.dumps(payload),
            content_type="application/json",
            headers=extra,
            REMOTE_ADDR=remote_addr,
        )
        return GraphQLResponse(response.status_code, response.json(), dict(response.headers))


@pytest.fixture
def gql(client) -> GraphQLClient:
    return GraphQLClient(client)


class Outbox:
    """What the console provider 'sent': one JSON line per message."""

    def __init__(self, path: Path):
        self.path = path

    def messages(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line]

    def last(self, to: str | None = None) -> dict:
        messages = [m for m in self.messages() if to is None or m["to"] == to]
        assert messages, "no message was sent"
        return messages[-1]

    def last_code(self, to: str | None = None) -> str:
        return self.last(to)["code"]


@pytest.fixture
def outbox(tmp_path, settings) -> Outbox:
    path = tmp_path / "outbox.jsonl"
    settings.TWOFA_CONSOLE_OUTBOX = str(path)
    return Outbox(path)


@pytest.fixture(autouse=True)
def _clear_cache():
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user(username="alice", password=PASSWORD, email="alice@example.com")


@pytest.fixture
def user_2fa(user) -> User:
    PhoneNumber.objects.create(user=user, number=PHONE, verified_at=timezone.now())
    return user


@pytest.fixture
def poll(db) -> Poll:
    poll = Poll.objects.create(question="Tea or coffee?")
    for text in ("Tea", "Coffee", "Neither"):
        Choice.objects.create(poll=poll, text=text)
    return poll


@pytest.fixture
def password_token(gql):
    """An access token after the password step only (a user without 2FA)."""

    def login(username="alice", password=PASSWORD) -> dict:
        result = gql(TOKEN_AUTH, {"username": username, "password": password})
        payload = result.data["tokenAuth"]
        assert payload["twoFactorRequired"] is False, result.body
        return payload

    return login


@pytest.fixture
def verified_login(gql, outbox):
    """Sign in a 2FA user through tokenAuth and verifyToken; returns the token payload."""

    def login(username="alice", password=PASSWORD) -> dict:
        started = gql(TOKEN_AUTH, {"username": username, "password": password}).data["tokenAuth"]
        assert started["twoFactorRequired"] is True
        result = gql(VERIFY_TOKEN, {"challenge": started["challenge"], "code": outbox.last_code()})
        assert not result.errors, result.body
        return result.data["verifyToken"]

    return login


@pytest.fixture
def staff_client(client, db):
    """A test client signed in to the admin as a superuser, through both steps
    of the admin login (password, then a code from an authenticator app)."""
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    started = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert started["Location"].startswith("/admin/login/verify/"), started
    code = f"{totp(device.bin_key):06d}"
    done = client.post(started["Location"], {"code": code, "method": "totp", "action": "verify"})
    assert done["Location"] == "/admin/", done
    return client
