"""The typed contract: the codes, the claims and tokenAuth's two outcomes as
types a client's codegen can use, proved with the README's operations
(tests/clients/operations/) as a client sends them. The deprecated fields they
replace keep answering as before, and say what replaces them."""

import re
from pathlib import Path

import pytest
from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    build_schema,
    parse,
    print_ast,
    specified_rules,
    validate,
    visit,
)
from graphql.language import Visitor
from graphql.validation import NoDeprecatedCustomRule

from schema.errors import ErrorCode
from tests.documents import PASSWORD, PHONE, TOKEN_AUTH

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "tests" / "clients" / "operations"


def _committed():
    return build_schema((ROOT / "schema.graphql").read_text())


def _operations_document():
    return parse("\n".join(path.read_text() for path in sorted(OPERATIONS.glob("*.graphql"))))


def operation(name: str) -> str:
    """One operation of the README's, with the fragments it spreads."""
    document = _operations_document()
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    (op,) = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name.value == name
    ]
    used: list[str] = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_):
            if node.name.value not in used:
                used.append(node.name.value)
                visit(fragments[node.name.value], self)

    visit(op, Spreads())
    return "\n".join(print_ast(d) for d in [op, *(fragments[f] for f in used)])


def test_error_code_enum_lists_every_extensions_code():
    enum = _committed().type_map["ErrorCode"]
    assert list(enum.values) == [code.value for code in ErrorCode]
    assert all(value.description for value in enum.values.values())


def test_readme_errors_table_lists_the_same_codes():
    errors = (ROOT / "README.md").read_text().split("## Errors", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([A-Z_]+)` \|", errors, flags=re.MULTILINE)
    assert listed == [code.value for code in ErrorCode]


def test_readme_operations_are_valid_and_use_no_deprecated_field():
    errors = validate(
        _committed(), _operations_document(), [*specified_rules, NoDeprecatedCustomRule]
    )
    assert [e.message for e in errors] == []


@pytest.mark.parametrize(
    ("type_name", "field_name"),
    [
        ("AuthTokensPayload", "payload"),
        ("AuthTokensPayload", "refreshExpiresIn"),
        ("ConfirmTotpPayload", "payload"),
        ("RegisterPhonePayload", "payload"),
        ("ChangePasswordPayload", "payload"),
        ("TokenAuthPayload", "twoFactorRequired"),
        ("TokenAuthPayload", "token"),
        ("TokenAuthPayload", "challenge"),
        ("TokenAuthPayload", "refreshExpiresIn"),
    ],
)
def test_replaced_fields_are_deprecated_with_a_reason(type_name, field_name):
    field = _committed().type_map[type_name].fields[field_name]
    assert field.deprecation_reason and "`" in field.deprecation_reason


def test_sign_in_without_2fa_answers_tokens_with_typed_claims(gql, user):
    result = gql(operation("SignIn"), {"username": "alice", "password": PASSWORD})

    outcome = result.data["tokenAuth"]["outcome"]
    assert outcome["__typename"] == "AuthTokensPayload"
    assert outcome["token"] and outcome["refreshToken"]
    claims = outcome["claims"]
    assert claims["username"] == "alice"
    assert claims["amr"] == ["pwd"]
    assert claims["authTime"] is None
    assert claims["exp"] > claims["iat"]
    me = gql(operation("Me"), token=outcome["token"])
    assert me.data["me"]["username"] == "alice"


def test_the_flat_fields_still_answer_as_before(gql, user):
    flat = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).data["tokenAuth"]
    typed = gql(operation("SignIn"), {"username": "alice", "password": PASSWORD})
    outcome = typed.data["tokenAuth"]["outcome"]

    assert flat["twoFactorRequired"] is False
    assert flat["payload"]["username"] == "alice"
    # Both name the login's end as a Unix time; only the name of the old one is wrong.
    assert abs(flat["refreshExpiresIn"] - outcome["refreshExpiresAt"]) <= 1


def test_sign_in_with_2fa_answers_a_challenge_then_tokens(gql, user_2fa, outbox):
    result = gql(operation("SignIn"), {"username": "alice", "password": PASSWORD})

    challenge = result.data["tokenAuth"]["outcome"]
    assert challenge["__typename"] == "LoginChallenge"
    assert challenge["method"] == "SMS"
    assert challenge["methods"] == ["SMS", "CALL"]
    assert challenge["codeSent"] is True
    assert challenge["phoneNumber"].endswith(PHONE[-4:])
    assert "token" not in challenge

    verified = gql(
        operation("VerifyCode"), {"challenge": challenge["challenge"], "code": outbox.last_code()}
    )
    tokens = verified.data["verifyToken"]
    assert tokens["claims"]["amr"] == ["pwd", "sms"]
    assert tokens["claims"]["authTime"] is not None


def test_refresh_keeps_the_login_end(gql, user):
    signed_in = gql(operation("SignIn"), {"username": "alice", "password": PASSWORD})
    tokens = signed_in.data["tokenAuth"]["outcome"]

    refreshed = gql(operation("Refresh"), {"refreshToken": tokens["refreshToken"]})

    again = refreshed.data["refreshToken"]
    assert again["refreshExpiresAt"] == tokens["refreshExpiresAt"]
    assert again["claims"]["amr"] == ["pwd"]


def test_enrolling_a_phone_answers_typed_claims(gql, user, outbox):
    signed_in = gql(operation("SignIn"), {"username": "alice", "password": PASSWORD})
    token = signed_in.data["tokenAuth"]["outcome"]["token"]
    gql(operation("VerifyPhone"), {"phoneNumber": PHONE}, token=token)

    registered = gql(
        operation("RegisterPhone"), {"phoneNumber": PHONE, "code": outbox.last_code()}, token=token
    )

    payload = registered.data["registerPhone"]
    assert payload["claims"]["amr"] == ["pwd", "sms"]
    assert payload["user"]["twoFactor"]["enabled"] is True
