"""The pages this server renders (demo, GraphiQL) and CORS for single-page apps.

What they look like in a browser is tested in tests/clients/ (Chromium).
"""

import re

import pytest

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


def test_the_demo_page_loads_only_its_own_files_under_a_strict_policy(client):
    response = client.get("/")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'self';") and "unsafe-inline" not in policy
    html = response.content.decode()
    assert not EXTERNAL.search(html)
    assert "<script>" not in html and '<script type="module" src="/static/web/demo.js">' in html
    assert 'data-endpoint="/graphql"' in html


def test_the_demo_page_says_where_codes_go_only_in_development(client, settings):
    assert 'data-dev-hint=""' in client.get("/").content.decode()

    settings.DEBUG = True
    html = client.get("/").content.decode()
    assert "The code is in the server log" in html

    settings.TWOFA_PROVIDER = "twilio"
    assert 'data-dev-hint=""' in client.get("/").content.decode()


def test_graphiql_is_served_from_this_server(client, settings):
    settings.GRAPHIQL_ENABLED = True

    response = client.get("/graphql", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert not EXTERNAL.search(html), "GraphiQL must not load anything from a CDN"
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
        assert f"/static/vendor/{asset}" in html
    assert "<script>" not in html and "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in response.cookies


def test_graphiql_is_off_in_production_by_default(client):
    response = client.get("/graphql", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")


def test_static_files_are_served_by_the_app(client):
    response = client.get("/static/web/demo.js")
    assert response.status_code == 200
    assert b"extensions" in b"".join(response.streaming_content)


ORIGIN = "https://app.example.com"


def test_cors_preflight_allows_bearer_tokens_from_a_configured_origin(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]

    response = client.options(
        "/graphql",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed = response["Access-Control-Allow-Headers"]
    assert "authorization" in allowed and "content-type" in allowed
    assert "Access-Control-Allow-Credentials" not in response  # Bearer tokens, no cookies

    answer = client.post(
        "/graphql",
        data={"query": "{ polls { id } }"},
        content_type="application/json",
        HTTP_ORIGIN=ORIGIN,
    )
    assert answer["Access-Control-Allow-Origin"] == ORIGIN


def test_cors_is_closed_by_default_and_to_other_origins(client, settings):
    preflight = {
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "authorization",
    }
    response = client.options("/graphql", HTTP_ORIGIN=ORIGIN, **preflight)
    assert "Access-Control-Allow-Origin" not in response

    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    response = client.options("/graphql", HTTP_ORIGIN="https://evil.example", **preflight)
    assert "Access-Control-Allow-Origin" not in response
