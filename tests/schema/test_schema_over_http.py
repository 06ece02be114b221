"""What the endpoint answers a stranger's odd requests over real HTTP (a live server)."""

import json

import pytest
import requests

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

REGISTER = 'mutation { register(username: "mallory", password: "x-Secret-pass-9") { user { id } } }'
POLLS = "{ polls { id } }"


def post(live_server, data, content_type: str) -> requests.Response:
    return requests.post(
        f"{live_server.url}/graphql",
        data=data,
        headers={"Content-Type": content_type},
        timeout=10,
    )


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # What an HTML form (or fetch with no-cors) sends cross-site without a preflight.
        ("application/x-www-form-urlencoded", {"query": REGISTER}),
        (
            "multipart/form-data; boundary=b",
            f'--b\r\nContent-Disposition: form-data; name="query"\r\n\r\n{REGISTER}\r\n--b--\r\n',
        ),
        ("text/plain", json.dumps({"query": REGISTER})),
        ("application/xml", json.dumps({"query": REGISTER})),
    ],
)
def test_content_types_a_browser_sends_without_a_preflight_are_refused(
    live_server, content_type, body
):
    response = post(live_server, body, content_type)

    assert response.status_code == 415
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert not User.objects.filter(username="mallory").exists()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", json.dumps({"query": POLLS})),
        ("application/json; charset=utf-8", json.dumps({"query": POLLS})),
        ("application/graphql", POLLS),
    ],
)
def test_json_and_graphql_bodies_still_work(live_server, content_type, body):
    response = post(live_server, body, content_type)
    assert (response.status_code, response.json()) == (200, {"data": {"polls": []}})


def test_deeply_nested_variables_are_bad_user_input_not_a_crash(live_server, caplog):
    query = json.dumps("query($id: ID!) { poll(id: $id) { id } }")
    deep = "[" * 480 + "1" + "]" * 480
    body = f'{{"query": {query}, "variables": {{"id": {deep}}}}}'

    response = post(live_server, body, "application/json")

    # Well-formed, refused by GraphQL: 200 in application/json (schema/negotiation.py).
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "deep" in error["message"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
