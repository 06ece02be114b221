"""Who may call a mutation (schema.mutations.Access), checked on the caller's
token: the rules every mutation declares instead of writing its own."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.auth import RequestAuth
from accounts.exceptions import TwoFactorRequired, Unauthenticated
from accounts.tokens import AMR_PASSWORD, token_pair_issue
from schema.mutations import Access, access_check

PASSWORD_ONLY = "password only"
VERIFIED = "second factor, just now"
VERIFIED_LONG_AGO = "second factor, an hour ago"
ALLOWED = "allowed"


def _auth(user, login):
    if login is None:
        return RequestAuth(RequestFactory().post("/graphql"))
    amr, auth_time = {
        PASSWORD_ONLY: ([AMR_PASSWORD], None),
        VERIFIED: ([AMR_PASSWORD, "sms"], timezone.now()),
        VERIFIED_LONG_AGO: ([AMR_PASSWORD, "sms"], timezone.now() - timedelta(hours=1)),
    }[login]
    token = token_pair_issue(user, amr=amr, auth_time=auth_time).token
    return RequestAuth(RequestFactory().post("/graphql", HTTP_AUTHORIZATION=f"Bearer {token}"))


def _outcome(auth, access):
    try:
        access_check(auth, access)
    except (Unauthenticated, TwoFactorRequired) as exc:
        return type(exc)
    return ALLOWED


@pytest.mark.parametrize(
    ("access", "login", "without_2fa", "with_2fa"),
    [
        (Access.ANONYMOUS, None, ALLOWED, ALLOWED),
        (Access.USER, None, Unauthenticated, Unauthenticated),
        (Access.USER, PASSWORD_ONLY, ALLOWED, TwoFactorRequired),
        (Access.USER, VERIFIED_LONG_AGO, ALLOWED, ALLOWED),
        (Access.ENROLLMENT, PASSWORD_ONLY, ALLOWED, TwoFactorRequired),
        (Access.ENROLLMENT, VERIFIED_LONG_AGO, ALLOWED, TwoFactorRequired),
        (Access.ENROLLMENT, VERIFIED, ALLOWED, ALLOWED),
        (Access.SECOND_FACTOR, PASSWORD_ONLY, TwoFactorRequired, TwoFactorRequired),
        (Access.SECOND_FACTOR, VERIFIED_LONG_AGO, ALLOWED, ALLOWED),
        (Access.RECENT_SECOND_FACTOR, VERIFIED_LONG_AGO, TwoFactorRequired, TwoFactorRequired),
        (Access.RECENT_SECOND_FACTOR, VERIFIED, ALLOWED, ALLOWED),
    ],
)
def test_access_levels(request, user, access, login, without_2fa, with_2fa):
    assert _outcome(_auth(user, login), access) == without_2fa
    request.getfixturevalue("user_2fa")
    assert _outcome(_auth(user, login), access) == with_2fa
