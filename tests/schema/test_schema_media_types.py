"""GraphQL over HTTP to the letter, over real HTTP: the client's `Accept` picks the
media type, and the media type picks the status of a request GraphQL refused.

application/graphql-response+json (what Apollo Client 4 asks for first): 400 when
nothing ran, and clients read the body whatever the status. application/json (or
no Accept): 200 for a well-formed request whose document or variables GraphQL
refused, since a client of that type may not read a 4xx body. A malformed HTTP
request keeps its 4xx in both.
"""

import pytest
import requests

pytestmark = pytest.mark.django_db(transaction=True)

GRAPHQL_RESPONSE = "application/graphql-response+json"
APOLLO_ACCEPT = "application/graphql-response+json,application/json;q=0.9"
POLL = "query($id: ID!) { poll(id: $id) { id } }"

# Well-formed requests whose document or variables GraphQL refuses: nothing runs.
REFUSED_BY_GRAPHQL = [
    pytest.param({"query": "{ polls { id "}, "GRAPHQL_PARSE_FAILED", id="parse"),
    pytest.param({"query": "{ polls { nope } }"}, "GRAPHQL_VALIDATION_FAILED", id="validation"),
    pytest.param(
        {"query": POLL, "variables": {"id": {"x": 1}}}, "BAD_USER_INPUT", id="variable-type"
    ),
    pytest.param({"query": POLL}, "BAD_USER_INPUT", id="variable-missing"),
    pytest.param(
        {"query": POLL, "variables": {"id": [[[[[[[[[[[["1"]]]]]]]]]]]]}},
        "BAD_USER_INPUT",
        id="variables-too-deep",
    ),
    pytest.param({"query": "{ polls { id } }" + " " * 20_000}, "QUERY_TOO_COMPLEX", id="length"),
    pytest.param(
        {"query": "{ polls { " + "choices { poll { " * 10 + "id" + " } }" * 10 + " } }"},
        "QUERY_TOO_COMPLEX",
        id="depth",
    ),
    pytest.param(
        {"query": "query A { polls { id } }", "operationName": "B"}, "BAD_REQUEST", id="op-name"
    ),
]

# Requests that aren't GraphQL-over-HTTP requests at all.
MALFORMED = [
    pytest.param("POST", "{not json", "application/json", 400, id="bad-json"),
    pytest.param("POST", "{}", "application/json", 400, id="no-query"),
    pytest.param("POST", '{"query": "{ polls { id } }"}', "text/plain", 415, id="content-type"),
    pytest.param("PUT", '{"query": "{ polls { id } }"}', "application/json", 405, id="method"),
]


def send(live_server, body: dict, accept: str | None) -> requests.Response:
    headers = {"Accept": accept} if accept is not None else {}
    return requests.post(f"{live_server.url}/graphql", json=body, headers=headers, timeout=10)


def media_type(response: requests.Response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


def codes(response: requests.Response) -> set[str]:
    return {e["extensions"]["code"] for e in response.json()["errors"]}


@pytest.mark.parametrize(("body", "code"), REFUSED_BY_GRAPHQL)
def test_a_refused_document_is_a_400_in_the_graphql_response_type(live_server, body, code):
    response = send(live_server, body, APOLLO_ACCEPT)

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == {code}
    assert "data" not in response.json()


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
@pytest.mark.parametrize(("body", "code"), REFUSED_BY_GRAPHQL)
def test_a_refused_document_is_a_200_in_plain_json(live_server, body, code, accept):
    response = send(live_server, body, accept)

    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert codes(response) == {code}
    assert "data" not in response.json()


@pytest.mark.parametrize("accept", [APOLLO_ACCEPT, "application/json", None])
@pytest.mark.parametrize(("method", "body", "content_type", "status"), MALFORMED)
def test_a_malformed_request_keeps_its_4xx_in_either_type(
    live_server, method, body, content_type, status, accept
):
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    response = requests.request(
        method, f"{live_server.url}/graphql", data=body, headers=headers, timeout=10
    )

    assert response.status_code == status
    wanted = GRAPHQL_RESPONSE if accept == APOLLO_ACCEPT else "application/json"
    assert media_type(response) == wanted
    assert codes(response) == {"BAD_REQUEST"}


def test_a_body_over_the_size_limit_keeps_its_413(live_server, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"query": "{ polls { id } }", "variables": {"pad": "x" * 2000}}

    response = send(live_server, body, APOLLO_ACCEPT)

    assert response.status_code == 413
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == {"BAD_REQUEST"}


def test_a_mutation_over_get_keeps_its_405(live_server):
    response = requests.get(
        f"{live_server.url}/graphql",
        params={"query": 'mutation { revokeToken(refreshToken: "x") { revoked } }'},
        headers={"Accept": APOLLO_ACCEPT},
        timeout=10,
    )

    assert response.status_code == 405
    assert media_type(response) == GRAPHQL_RESPONSE
    assert codes(response) == {"BAD_REQUEST"}


@pytest.mark.parametrize("accept", [APOLLO_ACCEPT, "application/json", None])
def test_an_operation_that_ran_answers_200_in_either_type(live_server, accept):
    body = {"query": 'mutation { tokenAuth(username: "nobody", password: "x") { token } }'}

    response = send(live_server, body, accept)

    assert response.status_code == 200
    assert codes(response) == {"INVALID_CREDENTIALS"}
    assert response.json()["data"] == {"tokenAuth": None}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (APOLLO_ACCEPT, GRAPHQL_RESPONSE),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        ("application/graphql-response+json; charset=utf-8", GRAPHQL_RESPONSE),
        ("application/json, application/graphql-response+json;q=0.5", "application/json"),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("text/html, application/*;q=0.8", "application/json"),
        ("*/*", "application/json"),
        ("", "application/json"),
    ],
)
def test_the_accept_header_picks_the_media_type(live_server, accept, expected):
    response = send(live_server, {"query": "{ polls { id } }"}, accept)

    assert response.status_code == 200
    assert media_type(response) == expected
    assert response.json() == {"data": {"polls": []}}
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    "accept",
    ["text/html", "application/xml, text/plain;q=0.5", "application/json;q=0, text/html"],
)
def test_nothing_acceptable_is_a_406(live_server, accept):
    response = send(live_server, {"query": "{ polls { id } }"}, accept)

    assert response.status_code == 406
    assert media_type(response) == "application/json"
    assert codes(response) == {"BAD_REQUEST"}
