"""The development outbox at /dev/outbox: the codes `make run` "sent", one click away.

Served only in development (DEBUG, the console provider, TWOFA_CONSOLE_OUTBOX);
with DEBUG off the route does not exist.
"""

import importlib
import json

import pytest
from django.urls import Resolver404, clear_url_caches, resolve

import config.urls
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH
from web.outbox import OUTBOX_LIMIT, TAIL_BYTES, outbox_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def development(settings, outbox):
    """The URLs as `make run` loads them: DEBUG on, console provider, an outbox file."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield outbox
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def write(path, messages):
    with open(path, "a", encoding="utf-8") as outbox:
        for message in messages:
            outbox.write(json.dumps(message) + "\n")


def message(n: int) -> dict:
    return {
        "to": PHONE,
        "code": f"{n:06d}",
        "channel": "sms",
        "purpose": "login",
        "sent_at": f"2026-11-26T12:{n // 60 % 60:02d}:{n % 60:02d}+00:00",
    }


def test_a_code_sent_at_sign_in_is_on_the_outbox_page(development, client, gql, user_2fa):
    started = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert started.data["tokenAuth"]["twoFactorRequired"] is True

    response = client.get("/dev/outbox")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    [sent] = response.json()["messages"]
    assert sent == {
        "to": PHONE,
        "channel": "sms",
        "purpose": "login",
        "code": development.last_code(),
        "sentAt": development.last()["sent_at"],
    }


def test_the_page_shows_the_last_twenty_newest_first(development, client):
    write(development.path, [message(n) for n in range(30)])

    codes = [m["code"] for m in client.get("/dev/outbox").json()["messages"]]

    assert codes == [f"{n:06d}" for n in range(29, 9, -1)]


def test_no_outbox_file_yet_is_an_empty_outbox(development, client):
    response = client.get("/dev/outbox")
    assert response.status_code == 200
    assert response.json() == {"messages": []}


def test_only_the_tail_of_a_large_outbox_is_read(tmp_path):
    path = tmp_path / "outbox.jsonl"
    write(path, [message(n) for n in range(2000)])
    assert path.stat().st_size > 4 * TAIL_BYTES

    messages = outbox_messages(str(path))

    assert [m["code"] for m in messages] == [
        f"{n:06d}" for n in range(1999, 1999 - OUTBOX_LIMIT, -1)
    ]


def test_broken_lines_are_skipped(tmp_path):
    path = tmp_path / "outbox.jsonl"
    write(path, [message(1)])
    with open(path, "a", encoding="utf-8") as outbox:
        outbox.write('{"to": "+1415555\n')
        outbox.write("[]\n")
        outbox.write('{"to": "+14155552671"}\n')
    write(path, [message(2)])

    assert [m["code"] for m in outbox_messages(str(path))] == ["000002", "000001"]


def test_not_served_with_debug_off(client, outbox, user_2fa, gql):
    gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert outbox.messages(), "a code was written to the outbox"

    response = client.get("/dev/outbox")

    assert response.status_code == 404
    assert outbox.last_code().encode() not in response.content


def test_the_route_does_not_exist_in_production_settings():
    with pytest.raises(Resolver404):
        resolve("/dev/outbox")


def test_not_served_without_the_console_provider(development, client, settings):
    settings.TWOFA_PROVIDER = "twilio"
    assert client.get("/dev/outbox").status_code == 404


def test_not_served_without_an_outbox_file(development, client, settings):
    settings.TWOFA_CONSOLE_OUTBOX = ""
    assert client.get("/dev/outbox").status_code == 404
