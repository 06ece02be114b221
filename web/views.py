"""The pages this server renders for browsers: the app and GraphiQL.

Both load only files served from this origin, with no inline script, and go
out with a strict Content-Security-Policy (CONTENT_SECURITY_POLICY).

The app at `/` is built by Vite from spa/ into web/static/app/ (`make app`;
not committed). Vite names its files by content hash and lists them in
web/static/app/manifest.json; the page links them through that manifest, read
again when it changes, so a browser never runs a stale mix of files. (`make
run`'s whitenoise finds new files per request; `make serve` builds first.)
"""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

APP_MANIFEST = Path(__file__).resolve().parent / "static" / "app" / "manifest.json"
# The manifest's entry for the app (spa/index.html is Vite's input).
APP_ENTRY = "index.html"

GRAPHIQL_DEFAULT_QUERY = """# Welcome to Pollstr's GraphiQL. Polls are public, newest first,
# a page at a time (pass pageInfo.endCursor as `after` for the next page):
{
  pollsConnection(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { question totalVotes choices { id text votes } } }
  }
}

# Sign in with `tokenAuth`, then paste the token into the Headers tab below:
# { "Authorization": "Bearer <token>" }
"""


def page_render(request, template: str, context: dict):
    response = render(request, template, context)
    response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "no-store"
    return response


def graphiql_render(request):
    return page_render(
        request,
        "web/graphiql.html",
        {"endpoint": reverse("graphql"), "default_query": GRAPHIQL_DEFAULT_QUERY},
    )


@lru_cache(maxsize=4)
def _app_assets(path: Path, mtime_ns: int) -> dict:
    entry = json.loads(path.read_text())[APP_ENTRY]
    return {
        "script": static(f"app/{entry['file']}"),
        "styles": [static(f"app/{css}") for css in entry.get("css", [])],
    }


def app_assets() -> dict | None:
    """The built app's script and style sheets, as static URLs; None if unbuilt."""
    try:
        return _app_assets(APP_MANIFEST, APP_MANIFEST.stat().st_mtime_ns)
    except (OSError, KeyError, ValueError):
        return None


@require_GET
def app(request):
    assets = app_assets()
    if assets is None:
        # A checkout where `make app` has not run (the make targets build it first).
        response = page_render(request, "web/app_missing.html", {})
        response.status_code = 503
        return response
    return page_render(request, "web/app.html", {"assets": assets})
