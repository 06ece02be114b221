"""Parsed and validated documents are cached per process (schema/document_cache.py)."""

import gc
import sys
import tracemalloc

import pytest

from schema import document_cache

POLLS = "query Polls { polls { question } }"


@pytest.fixture
def parses(monkeypatch):
    """Counts the documents graphql-core actually parses (the real parser still runs)."""
    calls = []
    real = document_cache.parse

    def counting(source, **kwargs):
        calls.append(source)
        return real(source, **kwargs)

    monkeypatch.setattr(document_cache, "parse", counting)
    document_cache.document_cache_clear()  # earlier tests may have sent the same documents
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


POLL_FIELDS = "polls { id question publishedAt totalVotes myVote { id text votes } choices { id text votes } }"
ME_FIELDS = "me { id username email twoFactor { enabled phoneNumber methods preferredMethod recoveryCodesRemaining } }"


def settle() -> None:
    """Free what is garbage, and the interpreter's attribute-lookup cache: it keeps
    up to 4,096 attribute names that validation builds (`enter_field`, ...),
    which tracemalloc would count against the cache."""
    gc.collect()
    sys._clear_type_cache()


def heavy_document(n: int) -> str:
    """A valid document at the edge of the limits: 200 fields, distinct by its name."""
    return f"query Heavy{n} {{ " + " ".join([POLL_FIELDS] * 10 + [ME_FIELDS] * 7) + " }"


def test_distinct_heavy_documents_stay_within_the_byte_budget(gql, db, settings):
    budget = 1024 * 1024
    settings.GRAPHQL_DOCUMENT_CACHE_SIZE = 500  # entries alone would allow 500 of them
    settings.GRAPHQL_DOCUMENT_CACHE_BYTES = budget  # a changed setting empties the cache
    documents = [heavy_document(n) for n in range(40)]
    assert gql(heavy_document(999)).data is not None  # the code paths warmed up once

    settle()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for document in documents:
            assert gql(document).data is not None
        settle()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()

    # What the cache holds, plus a little for what a request leaves behind.
    assert grown <= budget + 256 * 1024, f"{grown / 1024:.0f} KiB"


def test_errors_from_a_cached_document_keep_their_locations(gql, db, parses):
    document = 'mutation {\n  vote(choiceId: "1") { poll { id } }\n}'
    answers = [gql(document) for _ in range(2)]

    assert parses == [document]  # the second answer ran the cached document
    for answer in answers:
        assert answer.codes == ["UNAUTHENTICATED"]
        assert answer.error["locations"] == [{"line": 2, "column": 3}]


def test_a_document_larger_than_the_whole_budget_is_answered_not_kept(gql, db, settings, parses):
    settings.GRAPHQL_DOCUMENT_CACHE_BYTES = 20_000
    for _ in range(2):
        assert gql(heavy_document(1)).data is not None
    gql(POLLS)
    gql(POLLS)
    assert parses == [heavy_document(1), heavy_document(1), POLLS]


def test_the_size_estimate_matches_what_entries_hold(db):
    from schema.schema import schema

    kinds = {
        "heavy": heavy_document,
        "small": lambda n: f"query Polls{n} {{ polls {{ question }} }}",
        "refused": lambda n: f"{{ nope{n} }}",
    }
    for kind, document in kinds.items():
        document_cache.document_cache_clear()
        document_cache.document_prepare(schema.graphql_schema, document(1000))  # warm up
        settle()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            estimated = document_cache.document_cache().bytes
            for n in range(30):
                document_cache.document_prepare(schema.graphql_schema, document(n))
            settle()
            held = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        estimated = document_cache.document_cache().bytes - estimated
        # Under-estimating would overrun the budget; over-estimating only keeps fewer.
        assert held <= 1.1 * estimated <= 1.65 * held, (kind, held, estimated)
