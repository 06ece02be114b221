"""The pages this server renders (the app, GraphiQL) and CORS for single-page apps.

What they look like in a browser is tested in tests/clients/ (Chromium).
"""

import json
import os
import re

import pytest

from web import views

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


@pytest.fixture
def built_app(tmp_path, monkeypatch):
    """A manifest as Vite writes it (the real build is tested in Chromium)."""
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "index.html": {
                    "file": "assets/index-AbC123.js",
                    "src": "index.html",
                    "isEntry": True,
                    "css": ["assets/index-DeF456.css"],
                }
            }
        )
    )
    monkeypatch.setattr(views, "APP_MANIFEST", manifest)
    return manifest


def test_the_app_loads_only_its_own_hashed_files_under_a_strict_policy(client, built_app):
    response = client.get("/")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'self';") and "unsafe-inline" not in policy
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert not EXTERNAL.search(html)
    assert "<script>" not in html and " style=" not in html
    assert '<script type="module" src="/static/app/assets/index-AbC123.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/app/assets/index-DeF456.css">' in html


def test_a_new_build_is_picked_up_without_a_restart(client, built_app):
    client.get("/")
    manifest = json.loads(built_app.read_text())
    manifest["index.html"]["file"] = "assets/index-New789.js"
    built_app.write_text(json.dumps(manifest))
    os.utime(built_app, ns=(1, built_app.stat().st_mtime_ns + 10**9))

    assert "/static/app/assets/index-New789.js" in client.get("/").content.decode()


def test_an_unbuilt_app_says_how_to_build_it(client, tmp_path, monkeypatch):
    monkeypatch.setattr(views, "APP_MANIFEST", tmp_path / "missing.json")

    response = client.get("/")

    assert response.status_code == 503
    assert "make app" in response.content.decode()
    assert "default-src 'self'" in response["Content-Security-Policy"]


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
    response = client.get("/static/web/graphiql-init.js")
    assert response.status_code == 200
    assert b"endpoint" in b"".join(response.streaming_content)


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


def test_a_deployment_without_the_built_app_is_warned(tmp_path, monkeypatch, built_app):
    from web.checks import check_app_built

    assert check_app_built(None) == []

    monkeypatch.setattr(views, "APP_MANIFEST", tmp_path / "missing.json")
    [warning] = check_app_built(None)
    assert warning.id == "web.W001" and "make app" in warning.hint
