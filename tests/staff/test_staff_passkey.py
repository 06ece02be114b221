"""The admin's second step accepts a passkey: the page carries the request options
for its script (staff/passkey.js), which posts the assertion back."""

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from tests.documents import PASSWORD, PHONE
from tests.twofa.passkeys.authenticator import SoftAuthenticator
from tests.twofa.passkeys.conftest import REG_BEGIN, REG_COMPLETE
from twofa.models import PhoneNumber


@pytest.fixture
def staff_with_passkey(gql, password_token):
    User.objects.create_user(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    authenticator = SoftAuthenticator()
    token = password_token("root")["token"]
    options = gql(REG_BEGIN, token=token).data["passkeyRegistrationBegin"]["options"]
    done = gql(
        REG_COMPLETE, {"name": "Key", "credential": authenticator.create(options)}, token=token
    )
    assert not done.errors, done.body
    return authenticator


def verify_page(client: Client):
    started = client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert started.status_code == 302, started
    page = client.get(started["Location"])
    html = page.content.decode()
    data = re.search(r'<script id="passkey-options" type="application/json">(.*?)</script>', html)
    return started["Location"], html, json.loads(data.group(1))


def test_a_passkey_completes_the_admin_login(db, staff_with_passkey):
    client = Client()
    url, html, options = verify_page(client)
    assert 'src="/static/staff/passkey.js"' in html
    assert "Use your passkey." in html
    assert 'name="code"' not in html  # nothing to type: the key is the only factor
    credential = json.dumps(staff_with_passkey.get(options))
    done = client.post(url, {"action": "passkey", "credential": credential})
    assert done["Location"] == "/admin/", done
    assert client.get("/admin/").status_code == 200
    assert client.session["staff.amr"] == ["pwd", "hwk", "user", "mfa"]


def test_a_failed_assertion_counts_and_is_shown(db, staff_with_passkey):
    client = Client()
    url, _, options = verify_page(client)
    staff_with_passkey.user_verified = False
    page = client.post(
        url, {"action": "passkey", "credential": json.dumps(staff_with_passkey.get(options))}
    )
    assert page.status_code == 200
    assert "The passkey could not be verified. 4 attempts left." in page.content.decode()
    assert client.get("/admin/").status_code == 302


def passkey_status(html: str) -> dict:
    """What staff/passkey.js says when the browser can't or didn't use a passkey
    (the page's data attributes: the script has no translations of its own)."""
    tag = re.search(r'<p id="passkey-status"[^>]*>', html).group(0)
    return {
        name: unescape(value)
        for name, value in re.findall(r'data-(unsupported|failed)="([^"]*)"', tag)
    }


def test_with_only_a_passkey_the_page_does_not_ask_for_a_code(db, staff_with_passkey):
    _, html, _ = verify_page(Client())
    assert passkey_status(html) == {
        "unsupported": "This browser can't use passkeys here.",
        "failed": "No passkey was used. Try again.",
    }
    assert "enter a code" not in html


def test_with_a_phone_too_the_page_offers_a_code(db, staff_with_passkey, outbox):
    PhoneNumber.objects.create(
        user=User.objects.get(username="root"), number=PHONE, verified_at=timezone.now()
    )
    _, html, _ = verify_page(Client())
    assert passkey_status(html) == {
        "unsupported": "This browser can't use passkeys here: enter a code instead.",
        "failed": "No passkey was used. Try again, or enter a code.",
    }


def test_the_passkey_step_speaks_german(db, staff_with_passkey):
    _, html, _ = verify_page(Client(headers={"Accept-Language": "de"}))
    # Disabled until passkey.js has run: a click before that would do nothing.
    assert '<button type="button" id="passkey-button" disabled>Passkey verwenden</button>' in html
    assert passkey_status(html) == {
        "unsupported": "Dieser Browser kann hier keine Passkeys verwenden.",
        "failed": "Es wurde kein Passkey verwendet. Versuchen Sie es erneut.",
    }
