"""Access and refresh tokens.

Access tokens are JWTs signed and verified by django-graphql-jwt (algorithm
pinned in settings.GRAPHQL_JWT), with two claims of ours:

- `amr` (RFC 8176): "pwd" after a password, plus "sms", "tel", "otp" or "rec"
  once a second factor was checked; a passkey adds "hwk" (bound to one
  device) or "swk" (synced), and "user" and "mfa" when the authenticator
  verified the user (a passkey alone is then a multi-factor credential);
- `auth_time`: Unix time of the last second-factor check, only when there was one;
- `ver`: the user's auth_version when the token was issued. sessions_end()
  bumps it, so tokens issued before a password change, a 2FA reset or a
  change of factors fail at once instead of living out their 5 minutes;
- `sid`: the login (refresh-token family) the token belongs to, so the list of
  sessions can say which one is the caller's.

Refresh tokens are opaque random strings kept hashed in accounts.RefreshToken.
Each refresh rotates the token; every token of one login shares a family, and
a rotated token presented again (a replay: someone else holds a copy) ends the
whole family, as RFC 9700 §4.14.2 asks, unless it comes within
REFRESH_TOKEN_REUSE_LEEWAY seconds of its rotation (two tabs refreshing at once).

A user's sessions are their logins that can still refresh: one per family,
listed with what received the tokens (session_client_record) and ended one
at a time (session_revoke) or all at once (sessions_end).
"""

import hashlib
import logging
import secrets
import uuid
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from graphql_jwt import exceptions as jwt_exceptions
from graphql_jwt.settings import jwt_settings
from graphql_jwt.utils import get_payload, get_user_by_payload

from accounts.exceptions import InvalidRefreshToken, Unauthenticated
from accounts.models import RefreshToken, User
from accounts.signals import refresh_token_reused, session_revoked, sessions_ended
from core.exceptions import NotFound

logger = logging.getLogger("accounts")

AMR_PASSWORD = "pwd"
# Methods that count as a second factor.
SECOND_FACTOR_METHODS = frozenset({"sms", "tel", "otp", "rec", "hwk", "swk"})
# A credential that is several factors by itself (a passkey with user verification).
AMR_MULTI_FACTOR = "mfa"


def amr_is_multi_factor(amr) -> bool:
    """What counts as 2FA, in one place: a password and a second factor, or a
    multi-factor credential. The API's gates (Claims) and the admin's ask this."""
    amr = set(amr or ())
    if AMR_MULTI_FACTOR in amr:
        return True
    return AMR_PASSWORD in amr and bool(SECOND_FACTOR_METHODS & amr)


@dataclass(frozen=True)
class TokenPair:
    token: str
    refresh_token: str
    payload: dict
    refresh_expires_in: int  # Unix time, as django-graphql-jwt reports it


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _unix(moment: datetime) -> int:
    return timegm(moment.utctimetuple())


def _access_token_encode(
    user: User, amr: list[str], auth_time: datetime | None, family: uuid.UUID
) -> tuple[str, dict]:
    payload = jwt_settings.JWT_PAYLOAD_HANDLER(user)
    payload["amr"] = list(amr)
    payload["ver"] = user.auth_version
    payload["sid"] = str(family)
    if auth_time is not None:
        payload["auth_time"] = _unix(auth_time)
    return jwt_settings.JWT_ENCODE_HANDLER(payload), payload


def _pair_issue(
    user: User,
    amr: list[str],
    auth_time: datetime | None,
    expires_at: datetime,
    family: uuid.UUID,
) -> TokenPair:
    token, payload = _access_token_encode(user, amr, auth_time, family)
    raw_refresh = secrets.token_urlsafe(32)
    RefreshToken.objects.create(
        user=user,
        token_hash=_hash(raw_refresh),
        family=family,
        amr=list(amr),
        auth_time=auth_time,
        expires_at=expires_at,
        auth_version=user.auth_version,
    )
    return TokenPair(token, raw_refresh, payload, _unix(expires_at))


def token_pair_issue(user: User, *, amr: list[str], auth_time: datetime | None = None) -> TokenPair:
    """Issue an access token and a new refresh token for a fresh login (a new family)."""
    expires_at = timezone.now() + jwt_settings.JWT_REFRESH_EXPIRATION_DELTA
    return _pair_issue(user, amr, auth_time, expires_at, uuid.uuid4())


def _family_lock(family: uuid.UUID) -> None:
    """Serialise every refresh, replay and sign-out of one login.

    Each locks the family's first token before it reads or writes the others.
    Row locks don't stop inserts: without one lock for the family, a replay's
    revocation could miss the successor a racing refresh commits a moment later.
    """
    first = RefreshToken.objects.select_for_update().filter(family=family).order_by("pk")
    list(first.values_list("pk", flat=True)[:1])


def _family_of(raw_refresh_token: str) -> uuid.UUID:
    family = (
        RefreshToken.objects.filter(token_hash=_hash(raw_refresh_token or ""))
        .values_list("family", flat=True)
        .first()
    )
    if family is None:
        raise InvalidRefreshToken()
    return family


def _tokens_revoke(tokens, now: datetime) -> int:
    """Revoke the tokens, rotated ones included (a later replay of one is then
    plainly invalid, not a new alarm); returns how many were still usable."""
    tokens = tokens.filter(revoked_at__isnull=True)
    usable = tokens.filter(rotated_at__isnull=True, expires_at__gt=now).count()
    tokens.update(revoked_at=now)
    return usable


def _family_revoke(family: uuid.UUID, now: datetime) -> int:
    """Revoke every token of a login."""
    return _tokens_revoke(RefreshToken.objects.filter(family=family), now)


def token_refresh(raw_refresh_token: str, *, ip: str = "") -> TokenPair:
    """Swap a refresh token for a new pair; the old refresh token stops working.

    The new pair keeps the login's `amr`, `auth_time`, absolute expiry and
    family, so refreshing never upgrades a login nor extends a session forever.
    A rotated token presented again is refused; past the leeway it also ends
    every token of its login and is reported (accounts.signals.refresh_token_reused).
    """
    raw_refresh_token = raw_refresh_token or ""
    family = _family_of(raw_refresh_token)
    with transaction.atomic():
        _family_lock(family)
        row = (
            RefreshToken.objects.select_related("user")
            .filter(token_hash=_hash(raw_refresh_token))
            .first()
        )
        now = timezone.now()
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise InvalidRefreshToken()
        if not row.user.is_active or row.auth_version != row.user.auth_version:
            raise InvalidRefreshToken()
        if row.rotated_at is None:
            row.rotated_at = now
            row.save(update_fields=["rotated_at"])
            return _pair_issue(row.user, row.amr, row.auth_time, row.expires_at, family)
        # A replay. Within the leeway it is most likely a second tab that read
        # the token before the first tab's refresh stored its successor.
        if now - row.rotated_at <= timedelta(seconds=settings.REFRESH_TOKEN_REUSE_LEEWAY):
            raise InvalidRefreshToken()
        revoked = _family_revoke(family, now)
        logger.warning(
            "refresh token reused, login ended: user=%s ip=%s revoked=%s",
            row.user_id,
            ip or "-",
            revoked,
        )
        refresh_token_reused.send(
            sender=RefreshToken, user=row.user, ip=ip, family=family, revoked=revoked
        )
    raise InvalidRefreshToken()


def token_revoke(raw_refresh_token: str) -> None:
    """Sign out: end the login of a current (not yet rotated) refresh token."""
    raw_refresh_token = raw_refresh_token or ""
    family = _family_of(raw_refresh_token)
    with transaction.atomic():
        _family_lock(family)
        current = RefreshToken.objects.filter(
            token_hash=_hash(raw_refresh_token), rotated_at__isnull=True, revoked_at__isnull=True
        ).exists()
        if not current:
            raise InvalidRefreshToken()
        _family_revoke(family, timezone.now())


def session_client_record(raw_refresh_token: str, *, kind: str, network: str) -> None:
    """Note what received a refresh token just handed out (a browser page or an
    app, and its coarse network), for the user's list of sessions."""
    RefreshToken.objects.filter(token_hash=_hash(raw_refresh_token)).update(
        client_kind=kind, client_network=network
    )


@dataclass(frozen=True)
class Session:
    """One login that can still refresh, as its owner sees it."""

    id: str  # the family
    started_at: datetime
    refreshed_at: datetime | None  # None until the first refresh
    expires_at: datetime
    client_kind: str  # RefreshToken.ClientKind, or "" when not recorded
    client_network: str  # coarse, or ""


def sessions_active(user: User) -> list[Session]:
    """The user's logins that can still refresh, the most recently active first.

    Each is read from its current token (the latest of its family, which holds
    what last received it) and the family's first token (when it began).
    """
    first = RefreshToken.objects.filter(family=OuterRef("family")).order_by("pk")
    current = (
        RefreshToken.objects.filter(
            user=user,
            revoked_at=None,
            rotated_at=None,
            expires_at__gt=timezone.now(),
            # A refresh that raced sessions_end() left a token it won't honour.
            auth_version=user.auth_version,
        )
        .annotate(started_at=Subquery(first.values("created_at")[:1]))
        .order_by("-created_at", "-pk")
    )
    return [
        Session(
            id=str(row.family),
            started_at=row.started_at,
            refreshed_at=row.created_at if row.created_at > row.started_at else None,
            expires_at=row.expires_at,
            client_kind=row.client_kind,
            client_network=row.client_network,
        )
        for row in current
    ]


def session_revoke(user: User, session_id: str, *, ip: str = "") -> None:
    """End one of the user's sessions (its refresh tokens; its access tokens
    live out their few minutes). NotFound alike for an id that is malformed,
    unknown, ended or another user's: the answer says nothing of other users."""
    try:
        family = uuid.UUID(str(session_id))
    except ValueError:
        raise NotFound(_("No such session.")) from None
    with transaction.atomic():
        _family_lock(family)
        now = timezone.now()
        live = RefreshToken.objects.filter(
            user=user, family=family, revoked_at=None, rotated_at=None, expires_at__gt=now
        )
        if not live.exists():
            raise NotFound(_("No such session."))
        _family_revoke(family, now)
        session_revoked.send(sender=RefreshToken, user=user, family=family, ip=ip)


def refresh_tokens_revoke_all(user: User) -> int:
    """Revoke every refresh token of a user; returns how many were still usable."""
    return _tokens_revoke(RefreshToken.objects.filter(user=user), timezone.now())


def sessions_end(user: User, *, reason: str, ip: str = "") -> int:
    """End every session of a user: the password or a second factor changed,
    or the user signed out everywhere.

    Bumps the user's auth_version (access tokens and admin sessions issued
    before stop working), revokes every refresh token, and tells other apps
    (accounts.signals.sessions_ended: twofa ends pending challenges). `user`
    gets the new version, so tokens issued for it afterwards are valid.
    Returns how many refresh tokens were revoked.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(auth_version=F("auth_version") + 1)
        user.auth_version = User.objects.values_list("auth_version", flat=True).get(pk=user.pk)
        revoked = refresh_tokens_revoke_all(user)
        sessions_ended.send(sender=User, user=user, reason=reason, ip=ip)
    return revoked


@dataclass(frozen=True)
class Claims:
    amr: tuple[str, ...]
    auth_time: int | None
    session: str | None = None  # the login (refresh-token family) of the token

    @property
    def second_factor_verified(self) -> bool:
        return amr_is_multi_factor(self.amr)


def token_pair_continue(user: User, claims: Claims) -> TokenPair:
    """A new pair for the caller's own session after sessions_end(): the same
    methods and second-factor time, the user's new version."""
    auth_time = (
        datetime.fromtimestamp(claims.auth_time, tz=UTC) if claims.auth_time is not None else None
    )
    return token_pair_issue(user, amr=list(claims.amr), auth_time=auth_time)


def token_pair_step_up(user: User, claims: Claims, *, amr: tuple[str, ...]) -> TokenPair:
    """A new pair for the caller's session after a second factor was checked
    again (step-up): the same family (`sid`) and absolute expiry, `auth_time`
    now, and `amr` the session's plus `amr` (each value once). The family's
    unused refresh tokens are rotated out as by a refresh: presented later, one
    counts as a replay. Unauthenticated when the session can no longer refresh."""
    try:
        family = uuid.UUID(claims.session or "")
    except ValueError:
        raise Unauthenticated(_("The session has ended. Sign in again.")) from None
    with transaction.atomic():
        _family_lock(family)
        now = timezone.now()
        current = RefreshToken.objects.filter(
            user=user,
            family=family,
            revoked_at=None,
            rotated_at=None,
            expires_at__gt=now,
            auth_version=user.auth_version,
        )
        row = current.order_by("-created_at", "-pk").first()
        if row is None:
            raise Unauthenticated(_("The session has ended. Sign in again."))
        current.update(rotated_at=now)
        methods = list(dict.fromkeys([*row.amr, *amr]))
        return _pair_issue(user, methods, now, row.expires_at, family)


def access_token_authenticate(token: str) -> tuple[User, Claims]:
    """The user and claims of a valid access token; Unauthenticated otherwise."""
    try:
        payload = get_payload(token)
        user = get_user_by_payload(payload)
    except jwt_exceptions.JSONWebTokenExpired as exc:
        raise Unauthenticated(_("The token has expired.")) from exc
    except jwt_exceptions.JSONWebTokenError as exc:
        raise Unauthenticated(_("The token is invalid.")) from exc
    if user is None:
        raise Unauthenticated(_("The token is invalid."))
    if payload.get("ver") != user.auth_version:
        raise Unauthenticated(_("The session has ended. Sign in again."))
    amr = payload.get("amr")
    auth_time = payload.get("auth_time")
    sid = payload.get("sid")
    claims = Claims(
        amr=tuple(m for m in amr if isinstance(m, str)) if isinstance(amr, list) else (),
        auth_time=auth_time if isinstance(auth_time, int) else None,
        session=sid if isinstance(sid, str) else None,
    )
    return user, claims


def refresh_tokens_expired():
    """Refresh tokens whose login has reached its absolute expiry.

    Every token of a family shares that expiry, so this is whole families. A
    rotated token of a login still running is not among them: presenting it
    again must still end the login (token_refresh), so it is kept until then.
    """
    return RefreshToken.objects.filter(expires_at__lte=timezone.now())
