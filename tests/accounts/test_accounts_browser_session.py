"""Browser sessions over real HTTP: a page of this site that says
`X-Pollstr-Session: browser` keeps its refresh token in an HttpOnly cookie the
API alone reads, and only a request from this site's pages can use it."""

import pytest
import requests
from django.core import checks

from accounts.checks import check_refresh_token_cookie_secure
from tests.documents import PASSWORD, TOKEN_AUTH, VERIFY_TOKEN

pytestmark = pytest.mark.django_db(transaction=True)

REFRESH_FROM_COOKIE = "mutation { refreshToken { token refreshToken payload } }"
SIGN_OUT = "mutation { revokeToken { revoked } }"
ME = "{ me { username } }"
COOKIE = "pollstr_refresh"


class Page:
    """What a page's fetch() sends: the opt-in header, its Origin, and the
    cookie the browser kept (requests drops Secure cookies over plain HTTP, so
    the jar is kept here, from the raw Set-Cookie headers)."""

    def __init__(self, base_url: str, *, origin: str | None = None, browser: bool = True):
        self.url = f"{base_url}/graphql"
        self.origin = base_url if origin is None else origin
        self.browser = browser
        self.cookie: str | None = None

    def post(self, query: str, variables: dict | None = None, *, token: str | None = None):
        headers = {"Content-Type": "application/json"}
        if self.browser:
            headers["X-Pollstr-Session"] = "browser"
        if self.origin:
            headers["Origin"] = self.origin
        if self.cookie:
            headers["Cookie"] = f"{COOKIE}={self.cookie}"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = requests.post(
            self.url,
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=10,
        )
        set_cookie = response.headers.get("Set-Cookie")
        if set_cookie:
            value = set_cookie.split(";", 1)[0].split("=", 1)[1]
            self.cookie = value.strip('"') or None
        return response


def _attributes(response) -> dict[str, str]:
    parts = [p.strip() for p in response.headers["Set-Cookie"].split(";")]
    name, value = parts[0].split("=", 1)
    attributes = {"name": name, "value": value}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        attributes[key.lower()] = val
    return attributes


def _sign_in(page: Page) -> dict:
    response = page.post(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    answer = response.json()["data"]["tokenAuth"]
    assert answer["twoFactorRequired"] is False, response.text
    return answer


def _codes(response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


def test_a_browser_sign_in_puts_the_refresh_token_in_a_cookie_only(live_server, user):
    page = Page(live_server.url)

    response = page.post(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})

    answer = response.json()["data"]["tokenAuth"]
    assert answer["token"] and answer["refreshToken"] is None
    cookie = _attributes(response)
    assert cookie["name"] == COOKIE and len(cookie["value"]) > 30
    assert {"httponly", "secure"} <= set(cookie)
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/graphql"
    assert int(cookie["max-age"]) > 0


def test_a_browser_sign_in_shows_no_refresh_token_in_the_outcome_either(live_server, user):
    page = Page(live_server.url)
    query = """
    mutation($username: String!, $password: String!) {
      tokenAuth(username: $username, password: $password) {
        refreshToken outcome { ... on AuthTokensPayload { token refreshToken } }
      }
    }
    """

    response = page.post(query, {"username": "alice", "password": PASSWORD})

    answer = response.json()["data"]["tokenAuth"]
    assert answer["outcome"]["token"]
    assert answer["refreshToken"] is None and answer["outcome"]["refreshToken"] is None
    assert page.cookie and page.cookie not in response.text


def test_an_app_client_gets_the_refresh_token_in_the_body_and_no_cookie(live_server, user):
    response = Page(live_server.url, browser=False).post(
        TOKEN_AUTH, {"username": "alice", "password": PASSWORD}
    )

    assert response.json()["data"]["tokenAuth"]["refreshToken"]
    assert "Set-Cookie" not in response.headers


def test_a_second_factor_login_puts_its_refresh_token_in_the_cookie(live_server, user_2fa, outbox):
    page = Page(live_server.url)
    started = page.post(TOKEN_AUTH, {"username": "alice", "password": PASSWORD}).json()
    assert page.cookie is None
    challenge = started["data"]["tokenAuth"]["challenge"]

    response = page.post(VERIFY_TOKEN, {"challenge": challenge, "code": outbox.last_code()})

    verified = response.json()["data"]["verifyToken"]
    assert verified["refreshToken"] is None and verified["payload"]["amr"] == ["pwd", "sms"]
    assert page.cookie
    refreshed = page.post(REFRESH_FROM_COOKIE).json()["data"]["refreshToken"]
    assert refreshed["payload"]["amr"] == ["pwd", "sms"]


def test_refresh_without_an_argument_reads_and_rotates_the_cookie(live_server, user):
    page = Page(live_server.url)
    _sign_in(page)
    first = page.cookie

    response = page.post(REFRESH_FROM_COOKIE)

    refreshed = response.json()["data"]["refreshToken"]
    assert refreshed["refreshToken"] is None
    assert page.cookie and page.cookie != first
    me = page.post(ME, token=refreshed["token"]).json()
    assert me["data"] == {"me": {"username": "alice"}}
    # The rotated cookie, presented again (a copy someone kept), is refused and cleared.
    replay = Page(live_server.url)
    replay.cookie = first
    response = replay.post(REFRESH_FROM_COOKIE)
    assert _codes(response) == ["INVALID_REFRESH_TOKEN"]
    assert _attributes(response)["max-age"] == "0"


@pytest.mark.parametrize(
    "page_kwargs",
    [
        pytest.param({"browser": False}, id="no session header"),
        pytest.param({"origin": "http://evil.example"}, id="another origin"),
        pytest.param({"origin": ""}, id="no origin"),
    ],
)
def test_the_cookie_is_refused_to_requests_this_sites_pages_dont_make(
    live_server, user, page_kwargs
):
    page = Page(live_server.url)
    _sign_in(page)
    forged = Page(live_server.url, **page_kwargs)
    forged.cookie = page.cookie

    for document in (REFRESH_FROM_COOKIE, SIGN_OUT):
        response = forged.post(document)
        assert _codes(response) == ["INVALID_REFRESH_TOKEN"]
        assert "Set-Cookie" not in response.headers
    # The login is untouched: the real page still refreshes.
    assert page.post(REFRESH_FROM_COOKIE).json()["data"]["refreshToken"]["token"]


def test_an_allowed_cors_origin_may_use_the_cookie(live_server, user, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    page = Page(live_server.url)
    _sign_in(page)
    sibling = Page(live_server.url, origin="https://app.example.com")
    sibling.cookie = page.cookie

    assert sibling.post(REFRESH_FROM_COOKIE).json()["data"]["refreshToken"]["token"]


def test_sign_out_ends_the_cookies_login_and_clears_it(live_server, user):
    page = Page(live_server.url)
    _sign_in(page)
    signed_in = page.cookie

    response = page.post(SIGN_OUT)

    assert response.json()["data"] == {"revokeToken": {"revoked": True}}
    cleared = _attributes(response)
    assert (
        cleared["value"] in ("", '""')
        and cleared["max-age"] == "0"
        and cleared["path"] == "/graphql"
    )
    page.cookie = signed_in
    assert _codes(page.post(REFRESH_FROM_COOKIE)) == ["INVALID_REFRESH_TOKEN"]


def test_the_cookie_can_be_sent_over_plain_http_for_local_testing(live_server, user, settings):
    settings.REFRESH_TOKEN_COOKIE_SECURE = False

    response = Page(live_server.url).post(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})

    assert "secure" not in _attributes(response)


def test_a_cookie_sent_over_plain_http_without_debug_is_a_warning(settings):
    settings.DEBUG = False
    settings.REFRESH_TOKEN_COOKIE_SECURE = False

    [warning] = check_refresh_token_cookie_secure(None)

    assert warning.id == "accounts.W003" and warning.level == checks.WARNING
    settings.DEBUG = True
    assert check_refresh_token_cookie_secure(None) == []
