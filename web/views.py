"""The pages this server renders for browsers: the demo page and GraphiQL.

Both load only files served from this origin, with no inline script, and go
out with a strict Content-Security-Policy (CONTENT_SECURITY_POLICY).
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from twofa.providers import provider_chain

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


@require_GET
def demo(request):
    dev_hint = ""
    if settings.DEBUG and "console" in provider_chain():
        dev_hint = (
            "Development server: no SMS is sent. The code is in the server log (the terminal "
            "running `make run`), on a line like “code for +1******2671: 123456”."
        )
    context = {"endpoint": reverse("graphql"), "dev_hint": dev_hint}
    return page_render(request, "web/demo.html", context)
