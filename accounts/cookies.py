"""Browser sessions: the refresh token in an HttpOnly cookie, never in a body.

The split django-allauth's headless API makes between *browser* and *app*
clients. An app client (a mobile app, a server, a cross-site SPA) gets the
refresh token in the body and keeps it itself, as before. A page served from
this site opts in with `X-Pollstr-Session: browser` on the mutations that issue
tokens; its refresh token then travels only in a cookie that script can't read
(HttpOnly), sent only over HTTPS (Secure), only from this site (SameSite=Strict)
and only to the API (Path = the endpoint's path). A reload keeps the login;
an XSS on the page can use the session while it runs but can't carry the
refresh token away.

A cookie is sent by the browser whoever made the page, so the mutations that
read it (refreshToken, revokeToken without an argument) refuse cross-site
requests (CSRF): they need the same header, which no form or simple request can
carry and which a cross-origin page can't send without a CORS preflight that
fails, and an `Origin` that is this site's or one of CORS_ALLOWED_ORIGINS.

The mutations hand their answers over (`tokens_deliver`); the GraphQL view
writes what they decided into the response (`refresh_cookie_apply`).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import lazy
from django.utils.translation import gettext
from graphql_jwt.settings import jwt_settings

from accounts.exceptions import InvalidRefreshToken
from accounts.models import RefreshToken
from accounts.tokens import session_client_record
from core.http import client_ip, client_network_coarse

SESSION_HEADER = "X-Pollstr-Session"
BROWSER = "browser"

# What the view writes into the response: the new refresh token, or "" to clear it.
_PENDING = "_refresh_cookie"


class CookieRefused(InvalidRefreshToken):
    """The cookie was sent by a request this site's pages don't make (CSRF)."""

    default_message = lazy(
        lambda: (
            gettext(
                "The session cookie is read only with the header '%(header)s' from this "
                "site's own pages."
            )
            % {"header": f"{SESSION_HEADER}: {BROWSER}"}
        ),
        str,
    )()


def session_is_browser(request: HttpRequest) -> bool:
    return request.headers.get(SESSION_HEADER, "").strip().lower() == BROWSER


def tokens_deliver(request: HttpRequest, answer) -> None:
    """For a browser client, move the answer's refresh token into the cookie:
    the body's `refreshToken` is then null. App clients' answers are untouched.
    Either way the session notes which kind of client received it, and from
    which network (the user's list of sessions shows both)."""
    raw = getattr(answer, "refresh_token", None)
    if not raw:
        return
    browser = session_is_browser(request)
    kind = RefreshToken.ClientKind.BROWSER if browser else RefreshToken.ClientKind.APP
    session_client_record(raw, kind=kind, network=client_network_coarse(client_ip(request)))
    if browser:
        setattr(request, _PENDING, raw)
        answer.refresh_token = None
        # tokenAuth's answer carries the pair twice: flat, and in its `outcome`.
        outcome = getattr(answer, "outcome", None)
        if getattr(outcome, "refresh_token", None) == raw:
            outcome.refresh_token = None


def _origin_allowed(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if not origin:
        # Browsers send Origin on every POST; its absence means no browser page.
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CORS_ALLOWED_ORIGINS


def refresh_token_from_cookie(request: HttpRequest) -> str:
    """The browser session's refresh token, once the request proves it comes
    from this site's pages; raises CookieRefused or InvalidRefreshToken."""
    if not (session_is_browser(request) and _origin_allowed(request)):
        raise CookieRefused()
    raw = request.COOKIES.get(settings.REFRESH_TOKEN_COOKIE_NAME, "")
    if not raw:
        raise InvalidRefreshToken()
    return raw


def refresh_cookie_clear(request: HttpRequest) -> None:
    """Sign-out, or a cookie the server no longer honours: the browser drops it."""
    setattr(request, _PENDING, "")


def refresh_cookie_apply(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Write the cookie the request's mutations decided on, if any."""
    raw = getattr(request, _PENDING, None)
    if raw is None:
        return response
    lifetime = int(jwt_settings.JWT_REFRESH_EXPIRATION_DELTA.total_seconds())
    # Cleared with the attributes it was set with, so the browser replaces it.
    response.set_cookie(
        settings.REFRESH_TOKEN_COOKIE_NAME,
        raw,
        max_age=lifetime if raw else 0,
        path=request.path,
        secure=settings.REFRESH_TOKEN_COOKIE_SECURE,
        httponly=True,
        # Strict, not Lax: only fetch() from this site's pages needs the cookie;
        # Lax would add it to top-level navigations from other sites, for nothing.
        samesite="Strict",
    )
    return response
