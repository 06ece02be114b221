"""WebAuthn through py_webauthn: the options we hand browsers and the checks of what comes back.

Nothing here verifies a signature or an attestation itself: the library does,
and raises one exception type for every failure, which this module turns into
None ("not verified"). What the library leaves to us is done here: the
settings (RP ID, name, allowed origins), a stable user handle, the RFC 8176
`amr` an assertion proves, and the signature-counter rule (callers apply it:
twofa.methods.passkey).

Challenges are random bytes kept server-side as base64url (on the Challenge row
for a second factor or a registration, in the cache for a passwordless sign-in).
"""

import hashlib
import json

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, generate_challenge
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.options_to_json_dict import options_to_json_dict
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    CredentialDeviceType,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)
from webauthn.registration.verify_registration_response import VerifiedRegistration

from accounts.models import User
from accounts.tokens import AMR_MULTI_FACTOR
from twofa.conf import twofa_settings

# How long the browser's prompt may wait (a hint to the browser); the server's
# challenge lives as long as the Challenge row (TWOFA_CHALLENGE_TTL).
TIMEOUT_MS = 300_000
# A RegistrationResponseJSON or AuthenticationResponseJSON is a few KB at most.
MAX_CREDENTIAL_JSON = 64 * 1024

AMR_HARDWARE_KEY = "hwk"  # bound to one device: not backup-eligible
AMR_SOFTWARE_KEY = "swk"  # synced between devices: backup-eligible
AMR_USER_VERIFIED = "user"  # the authenticator checked the user (PIN, biometrics)


def challenge_new() -> str:
    return bytes_to_base64url(generate_challenge())


def user_handle(user: User) -> bytes:
    """The WebAuthn user.id for a user: stable (an authenticator replaces its
    credential for the same account), and not the username or email (the
    spec asks for no personal data). Derived, so nothing is stored."""
    return hashlib.sha256(f"pollstr.webauthn.user:{user.pk}".encode()).digest()


def _descriptors(passkeys) -> list[PublicKeyCredentialDescriptor]:
    known = {t.value for t in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(p.credential_id),
            transports=[AuthenticatorTransport(t) for t in p.transports if t in known] or None,
        )
        for p in passkeys
    ]


def registration_options(user: User, *, challenge: str, exclude) -> dict:
    """PublicKeyCredentialCreationOptionsJSON: user verification required, a
    discoverable credential preferred, no attestation, `exclude` (the user's
    passkeys) not registered twice."""
    options = generate_registration_options(
        rp_id=twofa_settings.WEBAUTHN_RP_ID,
        rp_name=twofa_settings.WEBAUTHN_RP_NAME,
        user_name=user.get_username(),
        user_id=user_handle(user),
        challenge=base64url_to_bytes(challenge),
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(exclude),
    )
    return options_to_json_dict(options)


def request_options(*, challenge: str, allow=()) -> dict:
    """PublicKeyCredentialRequestOptionsJSON: user verification required;
    `allow` (a user's passkeys) empty for a discoverable-credential sign-in."""
    options = generate_authentication_options(
        rp_id=twofa_settings.WEBAUTHN_RP_ID,
        challenge=base64url_to_bytes(challenge),
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(allow),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json_dict(options)


def credential_parse(raw) -> dict | None:
    """A credential's JSON (a string or an object) as a dict, or None."""
    if isinstance(raw, str):
        if len(raw) > MAX_CREDENTIAL_JSON:
            return None
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None
    return raw


def user_handle_of(credential: dict) -> bytes | None:
    """The assertion's userHandle (a discoverable credential's user.id), if any."""
    handle = (credential.get("response") or {}).get("userHandle")
    if not isinstance(handle, str) or not handle:
        return None
    try:
        return base64url_to_bytes(handle)
    except ValueError:
        return None


def registration_verify(credential: dict, *, challenge: str) -> VerifiedRegistration | None:
    """The verified new credential, or None (any failure: the library's one type)."""
    try:
        return verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=twofa_settings.WEBAUTHN_RP_ID,
            expected_origin=twofa_settings.webauthn_origins,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        return None


def transports_of(credential: dict) -> list[str]:
    transports = (credential.get("response") or {}).get("transports") or []
    return [t for t in transports if isinstance(t, str)][:8]


def assertion_verify(credential: dict, *, challenge: str, passkey):
    """py_webauthn's VerifiedAuthentication for `passkey`, or None.

    The library's own counter check is turned off (it is given 0): it raises
    the same exception as for a bad signature, and a counter that goes back
    must be told apart (audited as a possible clone) by the caller.
    """
    try:
        return verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=twofa_settings.WEBAUTHN_RP_ID,
            expected_origin=twofa_settings.webauthn_origins,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError):
        return None


def sign_count_ok(*, stored: int, new: int) -> bool:
    """A counter of 0 is always accepted (synced passkeys report 0); a non-zero
    one must have increased, else the credential may have been cloned."""
    return new == 0 or new > stored


def backup_eligible(device_type) -> bool:
    return device_type == CredentialDeviceType.MULTI_DEVICE


def amr_of(*, backup_eligible: bool, user_verified: bool) -> tuple[str, ...]:
    """What an assertion proves (RFC 8176), from its flags alone."""
    amr = (AMR_SOFTWARE_KEY if backup_eligible else AMR_HARDWARE_KEY,)
    if user_verified:
        amr += (AMR_USER_VERIFIED, AMR_MULTI_FACTOR)
    return amr
