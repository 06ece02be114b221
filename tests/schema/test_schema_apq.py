"""Automatic persisted queries, Apollo's protocol (the Apollo Client test uses the real link)."""

import hashlib
import json

import pytest
from django.core.cache import cache, caches

QUERY = "query Polls { polls { question } }"
SHA = hashlib.sha256(QUERY.encode()).hexdigest()


def post(client, body):
    response = client.post("/graphql", data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def persisted(sha=SHA, version=1):
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


@pytest.fixture
def polls(poll):
    return poll


def test_an_unknown_hash_asks_for_the_query_then_the_hash_alone_works(client, polls):
    status, body = post(client, {"extensions": persisted()})
    assert status == 200
    assert body == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }

    status, body = post(client, {"query": QUERY, "extensions": persisted()})
    assert (status, body) == (200, {"data": {"polls": [{"question": "Tea or coffee?"}]}})

    status, body = post(client, {"extensions": persisted(), "operationName": "Polls"})
    assert (status, body) == (200, {"data": {"polls": [{"question": "Tea or coffee?"}]}})


def test_a_hash_that_does_not_match_its_query_is_refused(client, polls):
    other = hashlib.sha256(b"{ me { username } }").hexdigest()

    status, body = post(client, {"query": QUERY, "extensions": persisted(other)})

    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert body["errors"][0]["message"] == "provided sha does not match query"
    # Nothing was stored under either hash.
    assert (
        post(client, {"extensions": persisted(other)})[1]["errors"][0]["extensions"]["code"]
        == "PERSISTED_QUERY_NOT_FOUND"
    )


def test_only_documents_that_validate_are_stored(client, db):
    bad = "{ nope }"
    sha = hashlib.sha256(bad.encode()).hexdigest()

    status, body = post(client, {"query": bad, "extensions": persisted(sha)})
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    status, body = post(client, {"extensions": persisted(sha)})
    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": SHA}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": {"version": 1, "sha256Hash": SHA.upper()}},
        {"persistedQuery": "yes"},
        "not json",
        ["a list"],
    ],
)
def test_malformed_persisted_query_extensions_are_bad_requests(client, db, extensions):
    status, body = post(client, {"extensions": extensions})
    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_hashed_queries_work_over_get(client, polls):
    post(client, {"query": QUERY, "extensions": persisted()})

    response = client.get(
        "/graphql", {"extensions": json.dumps(persisted())}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"data": {"polls": [{"question": "Tea or coffee?"}]}}


def test_a_persisted_mutation_still_needs_post(client, db):
    mutation = 'mutation { revokeToken(refreshToken: "x") { revoked } }'
    sha = hashlib.sha256(mutation.encode()).hexdigest()
    post(client, {"query": mutation, "extensions": persisted(sha)})

    response = client.get(
        "/graphql", {"extensions": json.dumps(persisted(sha))}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 405


def register(client, query, remote_addr):
    """A client sends a new document with its hash (what Apollo's link does after a miss)."""
    sha = hashlib.sha256(query.encode()).hexdigest()
    response = client.post(
        "/graphql",
        data=json.dumps({"query": query, "extensions": persisted(sha)}),
        content_type="application/json",
        REMOTE_ADDR=remote_addr,
    )
    assert response.status_code == 200, response.content
    assert "errors" not in response.json()
    return sha


def is_stored(client, sha) -> bool:
    (error,) = post(client, {"extensions": persisted(sha)})[1].get("errors") or [None]
    return error is None or error["extensions"]["code"] != "PERSISTED_QUERY_NOT_FOUND"


def test_persisted_queries_live_apart_from_the_rate_limits(client, polls):
    post(client, {"query": QUERY, "extensions": persisted()})

    assert caches["persisted_queries"].get(f"apq:v1:{SHA}") == QUERY
    # Not in the cache that counts the limits, where a flood could evict counters.
    assert cache.get(f"apq:v1:{SHA}") is None


def test_what_one_client_network_can_store_is_bounded(client, polls, settings):
    settings.GRAPHQL_APQ_LIMIT_PER_IP = 3
    # Four addresses of one IPv6 /64 are one client.
    mine = [
        register(client, f"query Q{i} {{ polls {{ id }} }}", f"2001:db8:1:2::{i}") for i in range(4)
    ]
    other = register(client, "query Other { polls { id } }", "2001:db8:9:9::1")

    assert [is_stored(client, sha) for sha in mine] == [True, True, True, False]
    assert is_stored(client, other)


def test_a_client_over_its_budget_still_gets_its_answer(client, polls, settings):
    settings.GRAPHQL_APQ_LIMIT_PER_IP = 1
    register(client, "query A { polls { id } }", "192.0.2.1")
    status, body = post(client, {"query": QUERY, "extensions": persisted()})
    assert (status, body) == (200, {"data": {"polls": [{"question": "Tea or coffee?"}]}})
