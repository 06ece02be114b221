"""The client contract, from the clients' side: Apollo Client and graphql-request
in Node, and the pages (GraphiQL, the admin) in Debian's Chromium driven by playwright-core
(the app at `/` has its own: test_spa.py).

Each test starts a live server and runs a Node test file against it. They
need `node`, the npm packages of tests/clients (`make test` installs them with
npm ci) and, for the browser, /usr/bin/chromium (Debian's `chromium`; .ci/run
installs it). Without them the tests are skipped, and say why.
"""

import base64
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from polls.models import Poll, Vote
from twofa.models import Passkey

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE = shutil.which("node")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Screenshots of the browser test land here (also kept by CI as artifacts).
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
ACCESS_TOKEN_SECONDS = 3


def _missing(reason: str):
    # CI sets REQUIRE_CLIENT_TESTS: there, a missing tool is a failure, not a skip.
    if os.environ.get("REQUIRE_CLIENT_TESTS"):
        pytest.fail(reason)
    pytest.skip(reason)


def _needs_node_packages():
    if NODE is None:
        _missing("node is not installed: the Apollo Client and browser tests need it")
    if not (HERE / "node_modules" / "@apollo" / "client").is_dir():
        _missing("tests/clients/node_modules is missing: run `make test` (it runs npm ci)")


def _run_node(test_file: str, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [NODE, "--test", "--test-reporter=spec", test_file],
        cwd=HERE,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    # The Node test's own report, for a human reading a failure (and CI's artifacts).
    log = ROOT / "artifacts" / f"{test_file}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(result.stdout + result.stderr)
    print(result.stdout[-20000:], result.stderr[-5000:], sep="\n")
    return result


@pytest.fixture
def demo_data(db):
    call_command("seed_demo", verbosity=0)
    # Older polls behind the demo poll, so the client has pages to walk.
    newest = Poll.objects.order_by("-published_at").first().published_at
    for n in range(1, 5):
        Poll.objects.create(question=f"Older poll {n}", published_at=newest - timedelta(days=n))


def test_apollo_client_flow(live_server, outbox, demo_data, settings):
    _needs_node_packages()
    settings.GRAPHQL_JWT = {
        **settings.GRAPHQL_JWT,
        "JWT_EXPIRATION_DELTA": timedelta(seconds=ACCESS_TOKEN_SECONDS),
    }

    result = _run_node(
        "apollo.test.mjs",
        {
            "GRAPHQL_URL": f"{live_server.url}/graphql",
            "OUTBOX": str(outbox.path),
            "ACCESS_TOKEN_SECONDS": str(ACCESS_TOKEN_SECONDS),
            "WEBAUTHN_ORIGIN": settings.WEBAUTHN_ALLOWED_ORIGINS[0],
        },
    )

    assert result.returncode == 0, f"the Apollo Client test failed:\n{result.stdout[-6000:]}"
    assert "ℹ pass 7" in result.stdout and "ℹ fail 0" in result.stdout
    # The server's side: the client's user enrolled and has exactly one vote.
    user = User.objects.get(username__startswith="apollo_")
    assert user.phone_number.number == "+14155552671"
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    [passkey] = Passkey.objects.filter(user=user)
    assert passkey.name == "Node key" and passkey.sign_count == 2
    [vote] = Vote.objects.filter(user=user)
    assert vote.choice.text == "Voice call"


def test_graphql_request_flow(live_server, outbox, demo_data):
    _needs_node_packages()
    if not (HERE / "node_modules" / "graphql-request").is_dir():
        _missing("graphql-request is missing from tests/clients/node_modules: run `make test`")

    result = _run_node(
        "graphql-request.test.mjs",
        {"GRAPHQL_URL": f"{live_server.url}/graphql", "OUTBOX": str(outbox.path)},
    )

    assert result.returncode == 0, f"the graphql-request test failed:\n{result.stdout[-6000:]}"
    assert "ℹ pass 2" in result.stdout and "ℹ fail 0" in result.stdout
    user = User.objects.get(username__startswith="gqlrequest_")
    assert user.phone_number.number == "+14155550199"
    assert Vote.objects.filter(user=user).count() == 1


def test_pages_in_a_real_browser(live_server, demo_data, settings):
    _needs_node_packages()
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    if not (ROOT / "web" / "static" / "vendor" / "graphiql.min.js").exists():
        _missing("GraphiQL's assets are missing: run `make vendor` (make test does)")
    settings.GRAPHIQL_ENABLED = True
    # The strictest policy: every page must work with nothing but its own origin.
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'"
    # The admin's cookies, over the live server's plain HTTP.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    staff = User.objects.create_user(
        "browser_staff", password="a-staff-pass-phrase", is_staff=True, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    result = _run_node(
        "browser.test.mjs",
        {
            "BASE_URL": live_server.url,
            "CHROMIUM": CHROMIUM,
            "SCREENSHOTS": str(SCREENSHOTS),
            "ADMIN_USERNAME": "browser_staff",
            "ADMIN_PASSWORD": "a-staff-pass-phrase",
            "ADMIN_TOTP_SECRET": base64.b32encode(device.bin_key).decode().rstrip("="),
        },
        timeout=180,
    )

    assert result.returncode == 0, f"the browser test failed:\n{result.stdout[-6000:]}"
    assert "ℹ fail 0" in result.stdout and "ℹ pass 2" in result.stdout
    shots = sorted(p.name for p in SCREENSHOTS.glob("*.png"))
    assert {"graphiql-result.png", "admin-2-index.png", "admin-3-users.png"} <= set(shots)


def test_admin_passkey_in_a_real_browser(live_server, settings):
    """staff/passkey.js in Chromium: the admin's second step with a passkey of the
    DevTools protocol's virtual authenticator (admin-passkey.test.mjs)."""
    _needs_node_packages()
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    # The passkey belongs to the live server's origin, http://localhost:PORT.
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    staff = User.objects.create_user(
        "passkey_staff", password="a-staff-pass-phrase", is_staff=True, is_superuser=True
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    result = _run_node(
        "admin-passkey.test.mjs",
        {
            "BASE_URL": live_server.url,
            "CHROMIUM": CHROMIUM,
            "SCREENSHOTS": str(SCREENSHOTS),
            "ADMIN_USERNAME": "passkey_staff",
            "ADMIN_PASSWORD": "a-staff-pass-phrase",
        },
        timeout=180,
    )

    assert result.returncode == 0, f"the admin passkey test failed:\n{result.stdout[-6000:]}"
    assert "ℹ fail 0" in result.stdout and "ℹ pass 4" in result.stdout
    # The server's side: one passkey, registered and then used once by the admin.
    [passkey] = Passkey.objects.filter(user=staff)
    assert passkey.name == "Virtual key"
    assert passkey.last_used_at is not None
