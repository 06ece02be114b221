"""The pages this server renders for browsers: the demo page and GraphiQL.

Both load only files served from this origin, with no inline script, and go
out with a strict Content-Security-Policy (CONTENT_SECURITY_POLICY). In
development (DEBUG with the console provider and TWOFA_CONSOLE_OUTBOX, as
`make run` sets them), `/dev/outbox` shows the codes the console "sent".
"""

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


@require_GET
def demo(request):
    dev_hint = ""
    if settings.DEBUG and "console" in provider_chain():
        dev_hint = (
            "Development server: no SMS is sent. The code is in the server log (the terminal "
            "running `make run`), on a line like “code for +1******2671: 123456”"
        )
        dev_hint += f", and at /{DEV_OUTBOX_PATH}." if dev_outbox_enabled() else "."
    context = {"endpoint": reverse("graphql"), "dev_hint": dev_hint}
    return page_render(request, "web/demo.html", context)


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
