"""The apps depend one way: twofa knows accounts, staff and ops know both, and
neither accounts nor twofa knows the apps above it (read from the source, so
an import inside a function counts too)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(app: str) -> dict[str, set[str]]:
    """Every module each file of `app` imports, by file."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("accounts", ("twofa", "staff", "ops")),
        ("twofa", ("staff", "ops")),
        ("core", ("accounts", "twofa", "staff", "ops", "polls", "schema")),
    ],
)
def test_app_never_imports_the_apps_that_depend_on_it(app, forbidden):
    offending = {
        path: sorted(name for name in names if name.split(".")[0] in forbidden)
        for path, names in _imported_modules(app).items()
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_accounts_names_twofa_only_as_the_graphql_types_of_its_contract():
    """The one coupling left, pinned: the User type's twoFactor and
    securityEvents fields and
    tokenAuth's 2FA fields and its outcome (tokens or twofa's LoginChallenge)
    are typed by name (the schema's contract), resolved
    when the root schema is built; nothing else in accounts names twofa."""
    named = set()
    for path in sorted((ROOT / "accounts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"(twofa|staff)\.[\w.]+", node.value):
                    named.add((str(path.relative_to(ROOT)), node.value))
    assert named == {
        ("accounts/schema.py", "twofa.schema.TwoFactorStatus"),
        ("accounts/schema.py", "twofa.schema.ChannelEnum"),
        ("accounts/schema.py", "twofa.schema.CodeNotSentReasonEnum"),
        ("accounts/schema.py", "twofa.schema.TwoFactorMethodEnum"),
        ("accounts/schema.py", "twofa.schema.TokenAuthOutcome"),
        ("accounts/schema.py", "twofa.schema.SecurityEventConnection"),
    }
