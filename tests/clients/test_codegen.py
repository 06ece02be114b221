"""The typed contract, from a TypeScript team's side. graphql-codegen
(tests/clients/codegen.yml) types the README's operations (operations/) from the
committed schema.graphql, and `tsc --strict` checks a client written against
those types (typed/): tokenAuth's outcomes narrowed on `__typename`, the claims
without decoding the JWT, ErrorCode as the closed set of `extensions.code`.

A schema change that breaks an operation fails codegen; one that loosens a
type the client relies on fails tsc. The same documents then run in Apollo
Client 4 against a live server (typed.test.mjs). Needs node and tests/clients' npm packages
(`make clients`); skipped without them, failed instead under REQUIRE_CLIENT_TESTS.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from accounts.models import User

HERE = Path(__file__).resolve().parent
BIN = HERE / "node_modules" / ".bin"


def _missing(reason: str):
    # CI sets REQUIRE_CLIENT_TESTS: there, a missing tool is a failure, not a skip.
    if os.environ.get("REQUIRE_CLIENT_TESTS"):
        pytest.fail(reason)
    pytest.skip(reason)


def _run(*command: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=HERE,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
    )


def _needs(*tools: str):
    node = shutil.which("node")
    if node is None:
        _missing("node is not installed: codegen, tsc and Apollo Client need it")
    for tool in tools:
        if not (HERE / "node_modules" / tool).exists():
            _missing(f"tests/clients/node_modules lacks {tool}: run `make clients`")
    return node


def test_codegen_types_the_readme_operations_and_tsc_strict_accepts_a_typed_client():
    _needs(".bin/graphql-codegen", ".bin/tsc")
    shutil.rmtree(HERE / "generated", ignore_errors=True)

    generated = _run(str(BIN / "graphql-codegen"), "--config", "codegen.yml")
    assert generated.returncode == 0, generated.stdout + generated.stderr

    checked = _run(str(BIN / "tsc"), "-p", "tsconfig.json", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.django_db(transaction=True)
def test_apollo_client_runs_the_typed_operations(live_server, outbox):
    node = _needs("@apollo/client")

    result = _run(
        node,
        "--test",
        "--test-reporter=spec",
        "typed.test.mjs",
        env={"GRAPHQL_URL": f"{live_server.url}/graphql", "OUTBOX": str(outbox.path)},
    )

    print(result.stdout[-20000:], result.stderr[-5000:], sep="\n")
    assert result.returncode == 0, f"the typed Apollo Client test failed:\n{result.stdout[-6000:]}"
    assert "ℹ pass 3" in result.stdout and "ℹ fail 0" in result.stdout
    user = User.objects.get(username__startswith="typed_")
    assert user.phone_number.number == "+14155552671"
