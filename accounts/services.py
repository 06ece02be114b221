"""Sign-up, the password step of login, the password change, signing out
everywhere, and the user's own settings."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.exceptions import InvalidCredentials
from accounts.languages import language_codes
from accounts.models import User
from accounts.stages import LoginPending, login_stages_start
from accounts.tokens import AMR_PASSWORD, TokenPair, sessions_end, token_pair_issue
from core.exceptions import BadUserInput
from core.http import client_ip, client_network
from core.ratelimit import rate_limit_check, rate_limit_hit

logger = logging.getLogger("accounts")


def user_register(*, username: str, password: str, ip: str, email: str | None = None) -> User:
    """Create an account.

    Every attempt counts against the client network's sign-up limit, whatever
    its outcome: any answer can say that a username is taken, so probing for
    names is bounded like signing up, and a refused attempt is cheap to count
    but no cheaper to send. The global ceiling counts only the attempts that
    get as far as hashing a password (the costly part, and a new account), so
    strangers can't spend it with invalid input.
    """
    window = settings.REGISTER_LIMIT_WINDOW
    rate_limit_hit(
        "accounts.register.ip",
        client_network(ip),
        limit=settings.REGISTER_LIMIT_PER_IP,
        period=window,
    )
    username = (username or "").strip()
    email = (email or "").strip()
    errors: dict[str, list[str]] = {}
    candidate = User(username=username, email=email)
    try:
        candidate.clean_fields(exclude=["password"])
    except ValidationError as exc:
        errors.update({field: list(messages) for field, messages in exc.message_dict.items()})
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            errors.setdefault("email", []).extend(exc.messages)
    if "username" not in errors and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("A user with that username already exists.")]
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise BadUserInput(_("The account could not be created."), fields=errors)
    rate_limit_hit(
        "accounts.register.all", "all", limit=settings.REGISTER_LIMIT_GLOBAL, period=window
    )
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError as exc:
        # Lost a race with a sign-up for the same name.
        raise BadUserInput(
            _("The account could not be created."),
            fields={"username": [_("A user with that username already exists.")]},
        ) from exc
    logger.info("user registered: user=%s", user.pk)
    return user


@dataclass(frozen=True)
class LoginResult:
    """Either tokens (the password was enough) or the login stage waiting next."""

    tokens: TokenPair | None = None
    pending: LoginPending | None = None


def _login_limits(username: str, ip: str) -> list[tuple[str, str, int]]:
    """The limits a failed password counts against, as (group, key, limit).

    Per username only from one client network at the low limit, so a stranger's
    guesses lock the username for their own network, not for its owner
    elsewhere; across all networks only at a much higher ceiling, which bounds a
    guesser spread over many networks.
    """
    name = username.strip().lower()
    network = client_network(ip)
    return [
        (
            "accounts.login.username_network",
            f"{name}\n{network}",
            settings.LOGIN_FAILURE_LIMIT_PER_USERNAME,
        ),
        ("accounts.login.ip", network, settings.LOGIN_FAILURE_LIMIT_PER_IP),
        ("accounts.login.username", name, settings.LOGIN_FAILURE_CEILING_PER_USERNAME),
    ]


def _login_failures_check(limits: list[tuple[str, str, int]]) -> None:
    for group, key, limit in limits:
        rate_limit_check(group, key, limit=limit, period=settings.LOGIN_FAILURE_WINDOW)


def _login_failure_count(limits: list[tuple[str, str, int]]) -> None:
    for group, key, limit in limits:
        rate_limit_hit(group, key, limit=limit, period=settings.LOGIN_FAILURE_WINDOW)


def network_login_failures_check(ip: str) -> None:
    """RateLimited when the client network is over its failed-login limit (for
    sign-ins without a username, such as a passkey's)."""
    network = client_network(ip)
    _login_failures_check([("accounts.login.ip", network, settings.LOGIN_FAILURE_LIMIT_PER_IP)])


def network_login_failure_count(ip: str) -> None:
    """Count a failed sign-in without a username against the client network."""
    network = client_network(ip)
    _login_failure_count([("accounts.login.ip", network, settings.LOGIN_FAILURE_LIMIT_PER_IP)])


def credentials_check(request, *, username: str, password: str) -> User:
    """The password step, for every way in (the API's tokenAuth, the admin).

    Failed attempts are limited per username and client network, per client
    network, and per username from anywhere (_login_limits); over a limit even
    the right password answers RateLimited, so a guesser can't tell.
    InvalidCredentials for a wrong password, an unknown user or an inactive
    account alike.
    """
    ip = client_ip(request)
    username = username or ""
    limits = _login_limits(username, ip)
    _login_failures_check(limits)
    # Django's ModelBackend hashes the password even for an unknown user, so the
    # answer takes about as long whether or not the user exists.
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        logger.info("login failed: ip=%s", ip or "-")
        _login_failure_count(limits)
        raise InvalidCredentials()
    return user


def login_start(request, *, username: str, password: str) -> LoginResult:
    """The password step of the API login, then the first login stage the user
    must pass (ACCOUNTS_LOGIN_STAGES: twofa's challenge), or tokens."""
    user = credentials_check(request, username=username, password=password)
    pending = login_stages_start(request, user, ip=client_ip(request))
    if pending is not None:
        return LoginResult(pending=pending)
    return LoginResult(tokens=token_pair_issue(user, amr=[AMR_PASSWORD]))


def password_change(user: User, *, old_password: str, new_password: str, ip: str = "") -> User:
    """Change a password; every session of the user ends (sessions_end).

    A wrong old password counts as a failed login for this user from this
    client network, so the mutation can't be used to guess passwords past the
    login limits.
    """
    limits = _login_limits(user.get_username(), ip)
    _login_failures_check(limits)
    if not user.check_password(old_password or ""):
        _login_failure_count(limits)
        raise InvalidCredentials(_("The current password is not correct."))
    try:
        validate_password(new_password or "", user=user)
    except ValidationError as exc:
        raise BadUserInput(
            _("The new password is not acceptable."), fields={"newPassword": list(exc.messages)}
        ) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoked = sessions_end(user, reason="password_changed")
    logger.info(
        "password changed: user=%s ip=%s revoked_refresh_tokens=%s", user.pk, ip or "-", revoked
    )
    return user


def user_language_set(user: User, *, language: str | None) -> User:
    """Write to `user` in `language` from now on (None or "" follows each request's)."""
    language = language or ""
    if language and language not in language_codes():
        raise BadUserInput(
            _("Unknown language. Choose one of: %(languages)s.")
            % {"languages": ", ".join(language_codes())},
            fields={"language": [_("Not a supported language.")]},
        )
    user.language = language
    user.save(update_fields=["language"])
    return user


def sign_out_everywhere(user: User, *, ip: str = "") -> int:
    """End every session of the user, the caller's own included: every refresh
    token is revoked and every access token stops working (sessions_end).
    Returns how many refresh tokens were still usable."""
    revoked = sessions_end(user, reason="signed_out_everywhere", ip=ip)
    logger.info("signed out everywhere: user=%s ip=%s revoked=%s", user.pk, ip or "-", revoked)
    return revoked
