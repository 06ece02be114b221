"""The cheap limits run first, in a pass of their own: a document over a limit is
refused before any of graphql-core's standard rules (one of which, the
overlapping-fields check, is quadratic) looks at it."""

import pytest
from graphql import get_introspection_query, specified_rules

from schema import document_cache

LIMITS = {
    "fields": "{ " + "me { id } " * 495 + "}",
    "depth": "{ polls { choices { poll { choices { poll { choices { poll { choices { poll {"
    " choices { poll { id } } } } } } } } } } } }",
    "aliases": "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(11)) + " }",
    "tokens": "{ " + "me { id } " * 600 + "}",
    "length": "{ me { id } }" + " " * 20_001,
    "repeated field": "{ " + "me { id } " * 11 + "}",
    "password fields": 'mutation { a: tokenAuth(username: "a", password: "b") { token } '
    'b: tokenAuth(username: "a", password: "c") { token } }',
}


@pytest.fixture
def validations(monkeypatch):
    """The rules of every validation pass the view runs (the real validation still runs)."""
    passes = []
    real = document_cache.validate

    def recording(schema, document, rules, **kwargs):
        passes.append(list(rules))
        return real(schema, document, rules, **kwargs)

    monkeypatch.setattr(document_cache, "validate", recording)
    document_cache.document_cache_clear()
    return passes


@pytest.mark.parametrize("limit", LIMITS)
def test_a_document_over_a_limit_never_meets_the_standard_rules(gql, db, validations, limit):
    result = gql(LIMITS[limit])

    assert result.status == 400
    assert result.codes == ["QUERY_TOO_COMPLEX"], result.body
    standard = set(specified_rules)
    assert not [rules for rules in validations if standard & set(rules)]


def test_a_document_within_the_limits_meets_every_standard_rule(gql, db, validations):
    assert gql("{ me { id } }").status == 200
    assert set(specified_rules) <= {rule for rules in validations for rule in rules}


def test_with_introspection_off_its_fields_count_like_any_other(gql, db, settings, validations):
    settings.GRAPHIQL_ENABLED = False
    result = gql("{ " + "__schema { queryType { name } } " * 70 + "}")

    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert not [rules for rules in validations if set(specified_rules) & set(rules)]


def test_with_graphiql_on_repeated_introspection_fields_are_still_refused(gql, db, settings):
    settings.GRAPHIQL_ENABLED = True
    result = gql("{ " + "__schema { queryType { name } } " * 11 + "}")
    assert result.codes == ["QUERY_TOO_COMPLEX"]
    assert "'__schema' 11 times" in result.error["message"]


def test_graphiqls_own_introspection_query_is_accepted(gql, db, settings):
    settings.GRAPHIQL_ENABLED = True
    result = gql(get_introspection_query(descriptions=True))
    assert result.status == 200, result.body
    assert result.data["__schema"]["queryType"]["name"] == "Query"
