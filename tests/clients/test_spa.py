"""The app at `/` (spa/), from its own side and in a real browser.

- codegen types the app's operations from the committed schema.graphql and
  `tsc --strict` checks the whole app against them: a schema change that
  breaks the app fails here;
- Vitest runs the unit tests of the sign-in state machine (spa/test/);
- Chromium (playwright-core) goes through every flow of the built app
  (spa.test.mjs), with axe-core on each screen; passkeys with Chromium's
  virtual authenticator (DevTools protocol) on http://localhost.

They need node, spa/node_modules (`make app-deps`), the built app (`make app`;
`make test` does both), tests/clients' packages and /usr/bin/chromium. Without
them they are skipped, and say why; failed instead under REQUIRE_CLIENT_TESTS.

The browser test reads no setting that depends on the database or the cache
backend, so CI's PostgreSQL pass skips it (SPA_BROWSER_TESTS=0 in .ci/run).
"""

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from graphql import build_schema, parse, specified_rules, validate
from graphql.validation import NoDeprecatedCustomRule

from accounts.models import User
from polls.models import Poll, Vote
from twofa.models import AuditEvent, Passkey

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APP = ROOT / "spa"
APP_BIN = APP / "node_modules" / ".bin"
BUILT = ROOT / "web" / "static" / "app" / "manifest.json"
NODE = shutil.which("node")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def _missing(reason: str):
    # CI sets REQUIRE_CLIENT_TESTS: there, a missing tool is a failure, not a skip.
    if os.environ.get("REQUIRE_CLIENT_TESTS"):
        pytest.fail(reason)
    pytest.skip(reason)


def _run(command: list[str], cwd: Path, env: dict | None = None, timeout: int = 240):
    result = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    log = ROOT / "artifacts" / f"spa-{Path(command[-1]).name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(result.stdout + result.stderr)
    return result


def _needs_app_tools(*tools: str):
    if NODE is None:
        _missing("node is not installed: the app's tests need it")
    for tool in tools:
        if not (APP_BIN / tool).exists():
            _missing(f"spa/node_modules lacks {tool}: run `make app-deps` (make test does)")


def test_the_apps_operations_are_valid_and_use_no_deprecated_field():
    # No node needed: the first thing to fail when the schema drifts from the app.
    schema = build_schema((ROOT / "schema.graphql").read_text())
    document = parse((APP / "src" / "operations.graphql").read_text())
    errors = validate(schema, document, [*specified_rules, NoDeprecatedCustomRule])
    assert [e.message for e in errors] == []


def test_codegen_types_the_apps_operations_and_tsc_strict_accepts_the_app(tmp_path):
    _needs_app_tools("graphql-codegen", "tsc")
    generated = _run([str(APP_BIN / "graphql-codegen"), "--config", "codegen.ts"], APP)
    assert generated.returncode == 0, generated.stdout + generated.stderr

    checked = _run([str(APP_BIN / "tsc"), "-p", "tsconfig.json", "--noEmit", "--strict"], APP)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_sign_in_state_machine():
    _needs_app_tools("vitest", "graphql-codegen")
    # The tests import the generated types' module graph: generate first.
    _run([str(APP_BIN / "graphql-codegen"), "--config", "codegen.ts"], APP)
    result = _run([str(APP_BIN / "vitest"), "run", "--reporter=verbose"], APP, {"CI": "1"})
    print(result.stdout[-10000:], result.stderr[-3000:], sep="\n")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " failed" not in result.stdout and "passed" in result.stdout


@pytest.fixture
def demo_data(db):
    call_command("seed_demo", verbosity=0)
    # Older polls behind the demo poll, so the app has pages to walk.
    newest = Poll.objects.order_by("-published_at").first().published_at
    for n in range(1, 5):
        Poll.objects.create(question=f"Older poll {n}", published_at=newest - timedelta(days=n))


def app_browser_test(live_server, outbox, settings, test_file: str, passes: int, env=None):
    """Run one of the app's Chromium test files (spa.test.mjs, account.test.mjs)
    against this live server and assert it passed all `passes` tests.

    Skipped with SPA_BROWSER_TESTS=0 (CI's PostgreSQL pass: the files read no
    setting that depends on the database or the cache); a missing tool fails
    instead of skipping under REQUIRE_CLIENT_TESTS.
    """
    if os.environ.get("SPA_BROWSER_TESTS") == "0":
        pytest.skip("SPA_BROWSER_TESTS=0: the app's browser tests ran in this CI run's first pass")
    if NODE is None:
        _missing("node is not installed: the browser test needs it")
    if (
        not (HERE / "node_modules" / "playwright-core").is_dir()
        or not (HERE / "node_modules" / "axe-core").is_dir()
    ):
        _missing("tests/clients/node_modules is missing: run `make test` (it runs npm ci)")
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    if not BUILT.exists():
        _missing("the app is not built: run `make app` (make test does)")
    # The strictest policy: the app must work with nothing but its own origin.
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'"
    # Passkeys are bound to the host name (WebAuthn refuses IP addresses) and
    # this server's exact origin; live_server serves http://localhost:PORT.
    assert live_server.url.startswith("http://localhost:")
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    result = _run(
        [NODE, "--test", "--test-reporter=spec", "--test-concurrency=1", test_file],
        HERE,
        {
            "BASE_URL": live_server.url,
            "OUTBOX": str(outbox.path),
            "CHROMIUM": CHROMIUM,
            "SCREENSHOTS": str(SCREENSHOTS),
            **(env or {}),
        },
        timeout=300,
    )
    print(result.stdout[-20000:], result.stderr[-5000:], sep="\n")
    assert result.returncode == 0, f"{test_file} failed:\n{result.stdout[-8000:]}"
    assert "ℹ fail 0" in result.stdout and f"ℹ pass {passes}\n" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_the_app_in_a_real_browser(live_server, outbox, demo_data, settings):
    # Every flow signs up its own person from this one address.
    settings.REGISTER_LIMIT_PER_IP = 50
    app_browser_test(live_server, outbox, settings, "spa.test.mjs", passes=13)
    shots = {p.name for p in SCREENSHOTS.glob("spa-*.png")}
    assert {
        "spa-1-signin.png",
        "spa-7-voted.png",
        "spa-locked.png",
        "spa-narrow-1-polls.png",
    } <= shots
    # The server's side: the new user enrolled the second number and voted once.
    user = User.objects.get(username__regex=r"^spa_[0-9]+$")
    assert user.phone_number.number == "+14155552671"
    assert Vote.objects.filter(user=user).count() == 1
    # The passkey user: one passkey, made in the browser, used for the second
    # step and then alone; 2FA on with it; one vote.
    pk_user = User.objects.get(username__regex=r"^spa_pk_[0-9]+$")
    passkey = Passkey.objects.get(user=pk_user)
    assert passkey.name == "Test laptop" and passkey.last_used_at is not None
    kinds = list(AuditEvent.objects.filter(user=pk_user).values_list("kind", flat=True))
    assert kinds.count("passkey_enrolled") == 1, kinds
    assert kinds.count("passkey_login") == 1, kinds  # the passwordless sign-in
    assert pk_user.recovery_codes.filter(used_at=None).count() == 10  # made from the reminder
    assert Vote.objects.filter(user=pk_user).count() == 1
