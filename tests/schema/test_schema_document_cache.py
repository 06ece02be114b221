"""Parsed and validated documents are cached per process (schema/views.py)."""

import pytest

from schema import views

POLLS = "query Polls { polls { question } }"


@pytest.fixture
def parses(monkeypatch):
    """Counts the documents graphql-core actually parses (the real parser still runs)."""
    calls = []
    real = views.parse

    def counting(source, **kwargs):
        calls.append(source)
        return real(source, **kwargs)

    monkeypatch.setattr(views, "parse", counting)
    views._document_cached.cache_clear()  # earlier tests may have sent the same documents
    return calls


def test_a_repeated_document_is_parsed_and_validated_once(gql, poll, parses):
    for _ in range(3):
        result = gql(POLLS)
        assert result.data == {"polls": [{"question": "Tea or coffee?"}]}

    assert parses == [POLLS]


def test_refused_documents_are_cached_with_their_answer(gql, db, parses):
    first = gql("{ nope }")
    second = gql("{ nope }")

    assert first.status == second.status == 400
    assert first.body == second.body
    assert set(first.codes) == {"GRAPHQL_VALIDATION_FAILED"}
    assert parses == ["{ nope }"]


def test_turning_introspection_off_is_not_hidden_by_the_cache(gql, db, settings, parses):
    settings.GRAPHIQL_ENABLED = True
    assert gql("{ __schema { queryType { name } } }").data
    settings.GRAPHIQL_ENABLED = False
    refused = gql("{ __schema { queryType { name } } }")
    assert set(refused.codes) == {"GRAPHQL_VALIDATION_FAILED"}


def test_lowering_a_limit_applies_to_cached_documents(gql, poll, settings):
    assert gql("{ polls { choices { text } } }").data
    settings.GRAPHQL_MAX_DEPTH = 1
    assert gql("{ polls { choices { text } } }").codes == ["QUERY_TOO_COMPLEX"]


def test_the_cache_can_be_turned_off(gql, poll, settings, parses):
    settings.GRAPHQL_DOCUMENT_CACHE_SIZE = 0
    gql(POLLS)
    gql(POLLS)
    assert parses == [POLLS, POLLS]


def test_long_documents_are_not_kept(gql, poll, settings, parses):
    settings.GRAPHQL_DOCUMENT_CACHE_MAX_LENGTH = 20
    long_query = "query LongerThanTwenty { polls { question } }"
    gql(long_query)
    gql(long_query)
    gql(POLLS[:20] if len(POLLS) <= 20 else "{ polls { id } }")
    gql("{ polls { id } }")
    assert parses == [long_query, long_query, "{ polls { id } }"]


def test_the_cache_is_bounded(gql, poll, settings, parses):
    settings.GRAPHQL_DOCUMENT_CACHE_SIZE = 2
    documents = ["{ polls { id } }", "{ polls { question } }", "{ polls { totalVotes } }"]
    for document in documents:
        gql(document)
    gql(documents[0])  # evicted by the third: parsed again

    assert parses == [*documents, documents[0]]
