"""One request can't ask for too much: depth, fields, aliases, tokens and size are capped."""

import json

import pytest

from accounts.models import User
from schema.schema import schema
from schema.validation import PASSWORD_HASHING_FIELDS, variables_too_deep
from tests.documents import PASSWORD, TOKEN_AUTH


def test_deep_documents_are_too_complex(gql, db, settings):
    settings.GRAPHQL_MAX_DEPTH = 2
    assert gql("{ polls { id } }").data == {"polls": []}

    for query in (
        "{ polls { choices { id } } }",
        "{ polls { ...P } } fragment P on Poll { choices { id } }",
        "{ polls { ... on Poll { choices { id } } } }",
    ):
        result = gql(query)
        assert result.status == 400, query
        assert result.codes == ["QUERY_TOO_COMPLEX"], query
        assert "depth" in result.error["message"]


def test_absurd_nesting_is_refused_before_it_is_parsed(gql, db):
    result = gql("{" + "a{" * 500 + "b" + "}" * 501)
    assert result.status == 400
    assert result.codes == ["QUERY_TOO_COMPLEX"]


def test_aliases_are_capped_so_one_request_cant_be_a_brute_force(gql, user):
    attempts = " ".join(
        f'a{i}: tokenAuth(username: "alice", password: "guess{i}") {{ token }}' for i in range(11)
    )
    result = gql(f"mutation {{ {attempts} }}")
    assert result.status == 400
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert "aliases" in result.error["message"]


def test_fragment_bombs_are_counted_in_full(gql, db, settings):
    settings.GRAPHQL_MAX_FIELDS = 50
    query = (
        "{ polls { ...A ...A ...A ...A ...A ...A } } "
        "fragment A on Poll { ...B ...B ...B ...B } "
        "fragment B on Poll { id question totalVotes }"
    )
    result = gql(query)
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert "fields" in result.error["message"]


def test_cyclic_fragments_are_a_validation_error_not_a_crash(gql, db):
    result = gql("{ polls { ...A } } fragment A on Poll { ...B } fragment B on Poll { ...A }")
    assert result.status == 400
    assert "GRAPHQL_VALIDATION_FAILED" in result.codes


def test_long_documents_and_too_many_tokens(gql, db, settings):
    result = gql("{ polls { id } }" + " " * 20_001)
    assert result.codes == ["QUERY_TOO_COMPLEX"]

    settings.GRAPHQL_MAX_TOKENS = 20
    result = gql("{ polls { " + "id " * 30 + "} }")
    assert result.codes == ["QUERY_TOO_COMPLEX"]


def test_a_huge_body_is_refused_with_413(client, db):
    body = json.dumps({"query": "{ polls { id } }", "variables": {"x": "a" * 300_000}})
    response = client.post("/graphql", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "variables",
    [
        {"username": "a" * 100_000, "password": PASSWORD},
        {"username": "alice", "password": "p" * 100_000},
    ],
)
def test_huge_or_odd_strings_are_answered_cleanly(gql, user, variables):
    result = gql(TOKEN_AUTH, variables)
    assert result.status == 200
    assert result.codes == ["INVALID_CREDENTIALS"]


def test_graphiql_introspection_query_is_not_counted_against_depth(gql, db, settings):
    settings.GRAPHIQL_ENABLED = True
    query = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }"
    result = gql(query)
    assert not result.errors, result.body


@pytest.mark.parametrize(
    ("text", "literal_code"),
    [
        ("nul\x00byte", "GRAPHQL_VALIDATION_FAILED"),
        # graphql-core's lexer already refuses a lone surrogate escape.
        ("lone\ud800surrogate", "GRAPHQL_PARSE_FAILED"),
    ],
)
def test_text_no_database_can_store_is_refused(gql, user, text, literal_code):
    as_variable = gql(TOKEN_AUTH, {"username": text, "password": PASSWORD})
    assert as_variable.status == 400
    assert as_variable.codes == ["BAD_USER_INPUT"]

    escaped = json.dumps(text)  # a GraphQL string literal uses the same escapes as JSON
    as_literal = gql(f'mutation {{ tokenAuth(username: {escaped}, password: "x") {{ token }} }}')
    assert as_literal.status == 400
    assert as_literal.codes == [literal_code]


def test_variable_depth_counts_lists_and_objects_inside_a_value():
    assert not variables_too_deep({"a": "text", "b": [1, {"c": [2]}]}, limit=3)
    assert variables_too_deep({"a": "text", "b": [1, {"c": [[2]]}]}, limit=3)
    assert variables_too_deep({"a": [[[[[]]]]]}, limit=3)


REGISTER = 'register(username: "u{i}", password: "x-Secret-pass-{i}") {{ user {{ id }} }}'


@pytest.mark.parametrize(
    "mutation",
    [
        # Ten aliased sign-ups: ten password hashes in one request.
        "mutation { " + " ".join(f"r{i}: " + REGISTER.format(i=i) for i in range(10)) + " }",
        # The same field through a fragment and an inline fragment.
        'mutation { ...F ... on Mutation { changePassword(oldPassword: "a", newPassword: "b")'
        " { user { id } } } } fragment F on Mutation { " + REGISTER.format(i=1) + " }",
        'mutation { tokenAuth(username: "a", password: "b") { token } '
        + REGISTER.format(i=2)
        + " }",
    ],
)
def test_one_password_hash_per_operation(gql, db, mutation):
    result = gql(mutation)

    assert result.status == 400
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert "password" in result.error["message"]
    assert not User.objects.exists()


def test_a_single_password_field_is_fine(gql, db):
    result = gql("mutation { " + REGISTER.format(i=1) + " }")
    assert result.status == 200, result.body
    assert result.data["register"]["user"]["id"]


def test_the_password_hashing_fields_are_mutations_of_the_schema():
    mutation_fields = schema.graphql_schema.mutation_type.fields
    assert PASSWORD_HASHING_FIELDS <= set(mutation_fields)


@pytest.mark.parametrize(
    "query",
    [
        # The same field over and over: graphql-core compares every pair of them.
        "{ " + "me { id } " * 11 + "}",
        "{ me { " + "id " * 11 + "} }",
        # Spread out over fragments, it is still the same field of one response.
        "{ me { ...A ...B } } fragment A on User { " + "id " * 6 + "} "
        "fragment B on User { " + "id " * 5 + "}",
        "{ " + "me { id } " * 4 + "...M } fragment M on Query { " + "me { id } " * 7 + "}",
    ],
)
def test_one_field_asked_too_often_is_too_complex(gql, db, query):
    result = gql(query)
    assert result.status == 400
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert "me" in result.error["message"] or "id" in result.error["message"]
    assert "11 times" in result.error["message"]


def test_what_apollo_sends_is_within_the_limits(gql, db):
    # __typename in every selection set, the same field in several fragments.
    query = (
        "query Polls { polls { __typename id ...Card ...Votes } me { __typename id } } "
        "fragment Card on Poll { __typename id question } "
        "fragment Votes on Poll { __typename id totalVotes choices { __typename id votes } }"
    )
    result = gql(query)
    assert result.status == 200, result.body
