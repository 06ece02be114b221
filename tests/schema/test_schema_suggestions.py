"""With introspection off, error messages don't suggest names: "Did you mean …?"
would let a word list rebuild the schema that introspection hides."""

import pytest

MISSPELLED = [
    # An unknown field, argument and type, and an enum literal.
    "{ pols { id } }",
    "{ polls { id questin } }",
    'mutation { tokenAuth(usernam: "a", password: "b") { token } }',
    "query($c: Chanel) { __typename }",
    'mutation { resendCode(challenge: "x", channel: SMSS) { channel } }',
]
# The same mistake in a variable's value (input coercion, before execution).
BAD_ENUM_VARIABLE = (
    'mutation($c: Channel) { resendCode(challenge: "x", channel: $c) { channel } }',
    {"c": "SMSS"},
)


@pytest.mark.parametrize("query", MISSPELLED)
def test_no_suggestions_when_introspection_is_off(gql, db, settings, query):
    settings.GRAPHIQL_ENABLED = False
    result = gql(query)
    assert result.status == 400
    assert result.errors
    assert not [e for e in result.errors if "Did you mean" in e["message"]], result.body


def test_no_suggestions_for_variables_when_introspection_is_off(gql, db, settings):
    settings.GRAPHIQL_ENABLED = False
    result = gql(*BAD_ENUM_VARIABLE)
    assert result.status == 400
    assert result.codes == ["BAD_USER_INPUT"]
    assert "Did you mean" not in result.error["message"], result.body


def test_graphiql_keeps_the_suggestions(gql, db, settings):
    settings.GRAPHIQL_ENABLED = True
    assert "Did you mean 'poll' or 'polls'?" in gql("{ pols { id } }").error["message"]
    assert "Did you mean the enum value 'SMS'" in gql(*BAD_ENUM_VARIABLE).error["message"]
