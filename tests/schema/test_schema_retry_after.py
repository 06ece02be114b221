"""A Retry-After header when every error of an answer is RATE_LIMITED, for
clients' retry links to read; `extensions.retryAfter` stays, and so does the status."""

import pytest
import requests

from schema.negotiation import MediaType
from schema.responses import graphql_response

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN_AUTH = (
    "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }"
)


def token_auth(live_server, password: str) -> requests.Response:
    return requests.post(
        f"{live_server.url}/graphql",
        json={"query": TOKEN_AUTH, "variables": {"u": "alice", "p": password}},
        headers={"Accept": "application/graphql-response+json,application/json;q=0.9"},
        timeout=10,
    )


def test_a_rate_limited_answer_says_when_to_retry(live_server, user, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 2
    wrong = [token_auth(live_server, "a-wrong-password") for _ in range(2)]

    limited = token_auth(live_server, "a-wrong-password")

    assert [w.json()["errors"][0]["extensions"]["code"] for w in wrong] == [
        "INVALID_CREDENTIALS"
    ] * 2
    assert all("Retry-After" not in w.headers for w in wrong)
    assert limited.status_code == 200
    (error,) = limited.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert limited.headers["Retry-After"] == str(error["extensions"]["retryAfter"])
    assert int(limited.headers["Retry-After"]) > 0


def limited(seconds: int) -> dict:
    return {"message": "Slow down.", "extensions": {"code": "RATE_LIMITED", "retryAfter": seconds}}


def test_the_longest_wait_of_several_is_the_header():
    body = {"errors": [limited(30), limited(90)], "data": {"a": None, "b": None}}

    response = graphql_response(body, status=200, media_type=MediaType.JSON)

    assert response["Retry-After"] == "90"


def test_no_header_when_another_error_would_not_go_away_by_waiting():
    other = {"message": "Wrong code.", "extensions": {"code": "INVALID_CODE", "attemptsLeft": 2}}
    body = {"errors": [limited(30), other], "data": {"a": None, "b": None}}

    response = graphql_response(body, status=200, media_type=MediaType.JSON)

    assert not response.has_header("Retry-After")
