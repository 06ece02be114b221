"""The pages this server renders for browsers: the app and GraphiQL.

Both load only files served from this origin, with no inline script, and go
out with a strict Content-Security-Policy (CONTENT_SECURITY_POLICY).

The app at `/` is built by Vite from spa/ into web/static/app/ (`make app`;
not committed). Vite names its files by content hash and lists them in
web/static/app/manifest.json; the page links them through that manifest, read
again when it changes, so a browser never runs a stale mix of files. (`make
run`'s whitenoise finds new files per request; `make serve` builds first.)

In development (DEBUG with the console provider and TWOFA_CONSOLE_OUTBOX, as
`make run` sets them), `/dev/outbox` shows the codes the console "sent".
"""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from twofa.conf import twofa_settings
from twofa.providers import provider_chain
from web.graphiql_tabs import graphiql_tabs
from web.outbox import outbox_messages

APP_MANIFEST = Path(__file__).resolve().parent / "static" / "app" / "manifest.json"
# The manifest's entry for the app (spa/index.html is Vite's input).
APP_ENTRY = "index.html"

DEV_OUTBOX_PATH = "dev/outbox"

# GraphiQL's query when it has no tabs to open (web/graphiql_tabs.py holds the flow's tabs).
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
        {
            "endpoint": reverse("graphql"),
            "default_query": GRAPHIQL_DEFAULT_QUERY,
            "tabs": graphiql_tabs(),
        },
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


def dev_outbox_enabled() -> bool:
    """Whether `/dev/outbox` may answer: development, console provider, an outbox file."""
    return bool(
        settings.DEBUG and "console" in provider_chain() and twofa_settings.TWOFA_CONSOLE_OUTBOX
    )


@require_GET
def dev_outbox(request):
    """The last codes the console provider wrote, newest first (development only).

    The route exists only with DEBUG on (config/urls.py), and answers 404 unless
    the console provider is in the chain and writes an outbox, so real codes
    from a real provider are never shown here.
    """
    if not dev_outbox_enabled():
        raise Http404
    messages = outbox_messages(twofa_settings.TWOFA_CONSOLE_OUTBOX)
    response = JsonResponse({"messages": messages})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links: send them to the icon our pages link."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))
