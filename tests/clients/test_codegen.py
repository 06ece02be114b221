"""The typed contract, from a TypeScript team's side: graphql-codegen
(tests/clients/codegen.yml) types the README's operations (operations/) from the
committed schema.graphql, and `tsc --strict` checks a client written against
those types (typed/): tokenAuth's outcomes narrowed on `__typename`, the claims
without decoding the JWT, ErrorCode as the closed set of `extensions.code`.

A schema change that breaks an operation fails codegen; one that loosens a
type the client relies on fails tsc. Needs node and tests/clients' npm packages
(`make clients`); skipped without them, failed instead under REQUIRE_CLIENT_TESTS.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BIN = HERE / "node_modules" / ".bin"


def _missing(reason: str):
    # CI sets REQUIRE_CLIENT_TESTS: there, a missing tool is a failure, not a skip.
    if os.environ.get("REQUIRE_CLIENT_TESTS"):
        pytest.fail(reason)
    pytest.skip(reason)


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=HERE, capture_output=True, text=True, timeout=180)


def test_codegen_types_the_readme_operations_and_tsc_strict_accepts_a_typed_client():
    if shutil.which("node") is None:
        _missing("node is not installed: codegen and tsc need it")
    if not (BIN / "graphql-codegen").exists() or not (BIN / "tsc").exists():
        _missing("tests/clients/node_modules lacks graphql-codegen or tsc: run `make clients`")
    shutil.rmtree(HERE / "generated", ignore_errors=True)

    generated = _run(str(BIN / "graphql-codegen"), "--config", "codegen.yml")
    assert generated.returncode == 0, generated.stdout + generated.stderr

    checked = _run(str(BIN / "tsc"), "-p", "tsconfig.json", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
