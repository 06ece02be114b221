"""The admin session: which factors signed it in, and how long it may live.

Django ends the session by itself when the password or a factor changes (the
user's auth_version is part of the session auth hash, see accounts.models).
On top of that an admin session must carry the second factor of its login
(`amr`, as the API's tokens do), since any other way into a Django session
(force_login, a future view) would not, and it ends when idle for
ADMIN_SESSION_IDLE_TIMEOUT or ADMIN_SESSION_MAX_AGE after the login, however
busy. Times are Unix seconds, so the session serializes them as plain numbers.
"""

import time

from django.conf import settings
from django.contrib import auth

from accounts.tokens import AMR_PASSWORD, amr_is_multi_factor

SESSION_AMR = "staff.amr"
SESSION_AUTH_AT = "staff.auth_at"
SESSION_SEEN_AT = "staff.seen_at"


def staff_session_begin(request, user, *, amr: list[str]) -> None:
    """Sign `user` in to the admin (a new session key: no fixation) and mark
    the session with the login's methods."""
    auth.login(request, user)
    now = int(time.time())
    request.session[SESSION_AMR] = list(amr)
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session.set_expiry(settings.ADMIN_SESSION_IDLE_TIMEOUT)


def _factor_ok(amr: list[str]) -> bool:
    if amr_is_multi_factor(amr):
        return True
    # Development only: a staff member without any factor signed in with the password.
    return settings.DEBUG and amr == [AMR_PASSWORD]


def staff_session_valid(request) -> bool:
    """Whether the session may use the admin; an expired one is ended here.

    Each admin request moves the idle deadline on (and the cookie's expiry
    with it), never the absolute one.
    """
    session = request.session
    if not _factor_ok(session.get(SESSION_AMR) or []):
        return False
    now = int(time.time())
    too_old = now - session.get(SESSION_AUTH_AT, 0) > settings.ADMIN_SESSION_MAX_AGE
    idle = now - session.get(SESSION_SEEN_AT, 0) > settings.ADMIN_SESSION_IDLE_TIMEOUT
    if too_old or idle:
        auth.logout(request)
        return False
    if session[SESSION_SEEN_AT] != now:
        session[SESSION_SEEN_AT] = now
        session.set_expiry(settings.ADMIN_SESSION_IDLE_TIMEOUT)
    return True
