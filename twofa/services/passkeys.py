"""Passkeys: register one, sign in with one and no password, rename and remove them.

Registration is an enrollment like the app's: a challenge (purpose
PASSKEY_SETUP) carries the WebAuthn challenge, and the new credential answers
it through challenge_check (attempts, back-off, audit). A passwordless sign-in
has no user to hang a challenge row on, so its WebAuthn challenge waits in the
cache under a random handle, for TWOFA_CHALLENGE_TTL seconds, and is deleted
by the first answer, right or wrong: single use, and nothing a stranger can
grow without bound. Its failures count as failed logins of the client network.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import network_login_failure_count, network_login_failures_check
from accounts.tokens import TokenPair, sessions_end, token_pair_issue
from core.exceptions import BadUserInput, NotFound
from core.http import client_network
from core.ratelimit import cache_fail_closed, rate_limit_hit
from twofa import webauthn
from twofa.audit import audit_record
from twofa.conf import twofa_settings
from twofa.exceptions import CodeExpired, PasskeyInvalid
from twofa.methods import method_get
from twofa.methods.passkey import assertion_check
from twofa.models import AuditEvent, Challenge, Method, MethodPreference, Passkey
from twofa.selectors import TwoFactorState
from twofa.services.challenges import challenge_check, challenge_create, enrollment_challenge_get
from twofa.services.preferences import twofa_disable

Kind = AuditEvent.Kind
NAME_MAX = 64


def _name_clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise BadUserInput(
            _("The passkey needs a name."),
            fields={"name": [_("Between 1 and %(max)s characters.") % {"max": NAME_MAX}]},
        )
    return name


@dataclass(frozen=True)
class PasskeyOptions:
    options: dict  # PublicKeyCredentialCreationOptionsJSON
    expires_in: int  # seconds the registration's challenge stays valid


def passkey_registration_begin(user: User, *, ip: str = "") -> PasskeyOptions:
    """Start registering a passkey: the creation options for the browser (the
    user's passkeys excluded); an earlier unfinished registration ends."""
    issued = challenge_create(
        user=user,
        purpose=Challenge.Purpose.PASSKEY_SETUP,
        number="",
        channel=Method.PASSKEY,
        ip=ip,
        webauthn_challenge=webauthn.challenge_new(),
    )
    options = webauthn.registration_options(
        user,
        challenge=issued.challenge.webauthn_challenge,
        exclude=Passkey.objects.filter(user=user),
    )
    return PasskeyOptions(options, issued.challenge.expires_in)


@dataclass(frozen=True)
class PasskeyRegistered:
    passkey: Passkey
    tokens: TokenPair
    recovery_codes_remaining: int


def passkey_registration_complete(
    user: User, *, name: str, credential, ip: str = ""
) -> PasskeyRegistered:
    """Check the new credential against the registration's challenge and store
    it: 2FA is on, the passkey preferred, every other session ends; returns a
    2FA-verified pair whose `amr` is what the registration proved."""
    name = _name_clean(name)
    challenge = enrollment_challenge_get(user, Challenge.Purpose.PASSKEY_SETUP)
    code = passkey_credential_text(credential)
    verified = challenge_check(challenge, code, ip=ip, method=Method.PASSKEY)
    passkey = verified.proof.detail
    passkey.name = name
    now = timezone.now()
    try:
        with transaction.atomic():
            passkey.save()
            MethodPreference.objects.update_or_create(
                user=user, defaults={"method": Method.PASSKEY}
            )
            sessions_end(user, reason="passkey_enrolled")
            tokens = token_pair_issue(user, amr=verified.amr, auth_time=now)
    except IntegrityError as exc:  # the same credential registered by a racing request
        raise BadUserInput(_("This passkey is registered already.")) from exc
    audit_record(Kind.PASSKEY_ENROLLED, user=user, ip=ip, passkey=passkey.pk)
    remaining = TwoFactorState(user).recovery_codes_remaining
    return PasskeyRegistered(passkey=passkey, tokens=tokens, recovery_codes_remaining=remaining)


def passkey_credential_text(credential) -> str:
    """A credential (WebAuthn JSON as an object or text) as the passkey method
    takes it in place of a code: JSON text ("" when it is none)."""
    parsed = webauthn.credential_parse(credential)
    return "" if parsed is None else json.dumps(parsed)


def _passkey_of(user: User, passkey_id) -> Passkey:
    passkey = Passkey.objects.filter(user=user, pk=_pk(passkey_id)).first()
    if passkey is None:
        raise NotFound(_("No such passkey."))
    return passkey


def _pk(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise NotFound(_("No such passkey.")) from None


def passkey_rename(user: User, passkey_id, *, name: str, ip: str = "") -> Passkey:
    passkey = _passkey_of(user, passkey_id)
    passkey.name = _name_clean(name)
    passkey.save(update_fields=["name"])
    audit_record(Kind.PASSKEY_RENAMED, user=user, ip=ip, passkey=passkey.pk)
    return passkey


def passkey_remove(user: User, passkey_id, *, ip: str = "") -> None:
    """Remove a passkey; every session ends. The user's last factor gone, 2FA
    is turned off (as removing the only app does)."""
    passkey = _passkey_of(user, passkey_id)
    other_factors = [
        key
        for key in TwoFactorState(user).methods
        if key != Method.PASSKEY and not method_get(key).fallback
    ]
    last = not other_factors and Passkey.objects.filter(user=user).count() == 1
    audit_record(Kind.PASSKEY_REMOVED, user=user, ip=ip, passkey=passkey.pk)
    if last:
        twofa_disable(user, ip=ip)
        return
    with transaction.atomic():
        passkey.delete()
        if not Passkey.objects.filter(user=user).exists():
            MethodPreference.objects.filter(user=user, method=Method.PASSKEY).delete()
        sessions_end(user, reason="passkey_removed")


def _login_key(handle: str) -> str:
    return "twofa:passkey-login:" + hashlib.sha256((handle or "").encode()).hexdigest()


@dataclass(frozen=True)
class PasskeyLoginStarted:
    handle: str  # the opaque string the client sends back with the assertion
    options: dict  # PublicKeyCredentialRequestOptionsJSON
    expires_in: int


def passkey_login_begin(*, ip: str = "") -> PasskeyLoginStarted:
    """Options for a sign-in with a discoverable passkey (no username).

    Limited per client network (WEBAUTHN_LOGIN_LIMIT_PER_IP), and refused while
    the network is over its failed-login limit.
    """
    network_login_failures_check(ip)
    rate_limit_hit(
        "twofa.passkey_login.ip",
        client_network(ip),
        limit=twofa_settings.WEBAUTHN_LOGIN_LIMIT_PER_IP,
        period=settings.LOGIN_FAILURE_WINDOW,
    )
    handle = secrets.token_urlsafe(32)
    challenge = webauthn.challenge_new()
    ttl = twofa_settings.TWOFA_CHALLENGE_TTL
    with cache_fail_closed("twofa.passkey_login"):
        cache.set(_login_key(handle), challenge, ttl)
    return PasskeyLoginStarted(handle, webauthn.request_options(challenge=challenge), ttl)


def _login_challenge_take(handle: str) -> str:
    """The handle's WebAuthn challenge, deleted as it is read: of racing
    answers only the one whose delete removed it goes on."""
    key = _login_key(handle)
    with cache_fail_closed("twofa.passkey_login"):
        challenge = cache.get(key)
        taken = challenge is not None and cache.delete(key)
    if not taken:
        raise CodeExpired()
    return challenge


def passkey_login_complete(*, handle: str, credential, ip: str = "") -> TokenPair:
    """A passwordless sign-in: the assertion of a discoverable passkey against
    the handle's challenge gives tokens for the passkey's owner.

    An unknown credential and a failed verification answer alike
    (PASSKEY_INVALID); each counts as a failed login of the client network.
    The tokens' `amr` is what the assertion proved (no "pwd").
    """
    network_login_failures_check(ip)
    challenge = _login_challenge_take(handle)
    parsed = webauthn.credential_parse(credential)
    proof = None
    if parsed is not None:
        owners = Passkey.objects.filter(user__is_active=True)
        proof = assertion_check(owners, parsed, challenge=challenge, ip=ip)
    if proof is None:
        network_login_failure_count(ip)
        known = Passkey.objects.filter(credential_id=(parsed or {}).get("id", "")).first()
        audit_record(Kind.PASSKEY_LOGIN_FAILED, user=known.user if known else None, ip=ip)
        raise PasskeyInvalid()
    user = proof.detail.user
    audit_record(Kind.PASSKEY_LOGIN, user=user, ip=ip, passkey=proof.detail.pk)
    return token_pair_issue(user, amr=list(proof.amr), auth_time=timezone.now())
