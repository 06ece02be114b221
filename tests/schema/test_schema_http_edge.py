"""What a client gets for malformed requests: always JSON, always a code, never a 500."""

import json

import pytest

POLLS = "{ polls { id } }"
APOLLO_ACCEPT = "application/graphql-response+json,application/json;q=0.9"


@pytest.fixture
def post(client, db):
    def send(body, content_type="application/json", **headers):
        response = client.post("/graphql", data=body, content_type=content_type, headers=headers)
        return response.status_code, response.json()

    return send


def only_code(body: dict) -> str:
    assert [set(e) >= {"message", "extensions"} for e in body["errors"]]
    (code,) = {e["extensions"]["code"] for e in body["errors"]}
    return code


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "",
        '"a string"',
        "42",
        '[{"query": "{ polls { id } }"}]',
        "{}",
        '{"query": 42}',
        '{"query": "{ polls { id } }", "variables": [1]}',
        '{"query": "{ polls { id } }", "operationName": 7}',
        "[" * 100_000 + "]" * 100_000,
    ],
)
@pytest.mark.parametrize("accept", ["", APOLLO_ACCEPT])
def test_malformed_requests_answer_400_with_a_code(post, body, accept):
    status, answer = post(body, **({"Accept": accept} if accept else {}))
    assert status == 400
    assert only_code(answer) == "BAD_REQUEST"
    assert "data" not in answer


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"query": "{ polls { id "}', "GRAPHQL_PARSE_FAILED"),
        ('{"query": "{ polls { nope } }"}', "GRAPHQL_VALIDATION_FAILED"),
        ('{"query": "{ polls { ...Missing } }"}', "GRAPHQL_VALIDATION_FAILED"),
        ('{"query": "query A { polls { id } } query B { me { id } }"}', "BAD_REQUEST"),
        (
            '{"query": "query($id: ID!) { poll(id: $id) { id } }", "variables": {"id": {"x": 1}}}',
            "BAD_USER_INPUT",
        ),
        ('{"query": "query($id: ID!) { poll(id: $id) { id } }"}', "BAD_USER_INPUT"),
    ],
)
@pytest.mark.parametrize(("accept", "expected_status"), [("", 200), (APOLLO_ACCEPT, 400)])
def test_refused_documents_answer_by_media_type_with_a_code(
    post, body, code, accept, expected_status
):
    status, answer = post(body, **({"Accept": accept} if accept else {}))
    assert status == expected_status
    assert only_code(answer) == code
    assert "data" not in answer


def test_invalid_utf8_is_a_bad_request(post):
    status, answer = post(b'{"query": "\xff"}')
    assert status == 400
    assert only_code(answer) == "BAD_REQUEST"


def test_other_content_types_are_refused(post):
    status, answer = post(POLLS, content_type="text/plain")
    assert status == 415
    assert only_code(answer) == "BAD_REQUEST"


def test_application_graphql_bodies_work(post):
    status, answer = post(POLLS, content_type="application/graphql")
    assert status == 200
    assert answer == {"data": {"polls": []}}


def test_queries_over_get_work_but_mutations_do_not(client, db):
    ok = client.get("/graphql", {"query": POLLS})
    assert ok.status_code == 200 and ok.json() == {"data": {"polls": []}}

    refused = client.get(
        "/graphql", {"query": 'mutation { revokeToken(refreshToken: "x") { revoked } }'}
    )
    assert refused.status_code == 405
    assert only_code(refused.json()) == "BAD_REQUEST"


def test_other_methods_are_refused(client, db):
    response = client.put(
        "/graphql", data=json.dumps({"query": POLLS}), content_type="application/json"
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert only_code(response.json()) == "BAD_REQUEST"


def test_introspection_follows_graphiql_enabled(gql, db, settings):
    settings.GRAPHIQL_ENABLED = False
    refused = gql("{ __schema { types { name } } }")
    assert refused.status == 400
    assert set(refused.codes) == {"GRAPHQL_VALIDATION_FAILED"}
    # Apollo clients add __typename everywhere: it must keep working.
    assert gql("{ __typename polls { __typename } }").data == {"__typename": "Query", "polls": []}

    settings.GRAPHIQL_ENABLED = True
    allowed = gql("{ __schema { queryType { name } } }")
    assert allowed.data == {"__schema": {"queryType": {"name": "Query"}}}


def test_graphiql_is_served_only_when_enabled(client, db, settings):
    settings.GRAPHIQL_ENABLED = True
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert b"graphiql" in page.content.lower()

    settings.GRAPHIQL_ENABLED = False
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 406
    assert page["Content-Type"] == "application/json"


def test_unexpected_errors_hide_their_details(gql, db, monkeypatch, settings, caplog):
    settings.DEBUG = False

    def explode(**kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr("polls.selectors.polls_with_counts", explode)
    result = gql(POLLS)

    assert result.status == 200
    assert result.codes == ["INTERNAL_SERVER_ERROR"]
    assert result.error["message"] == "Internal server error."
    assert "secret" not in json.dumps(result.body)
    assert "Traceback" not in json.dumps(result.body)
    # The operator still gets the whole story in the log.
    assert any("SELECT secret" in (r.exc_text or "") for r in caplog.records)


def test_no_csrf_cookie_or_session_is_set(client, db):
    response = client.post("/graphql", data={"query": POLLS}, content_type="application/json")
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert "sessionid" not in response.cookies


def test_a_bad_token_fails_only_fields_that_need_a_user(gql, db):
    result = gql("{ polls { id myVote { id } } me { id } }", token="garbage")
    assert result.status == 200
    assert result.data == {"polls": [], "me": None}
    assert result.codes == ["UNAUTHENTICATED"]
    assert result.error["path"] == ["me"]
