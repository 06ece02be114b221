"""Authenticator apps (TOTP): set one up, confirm it with a code from it
(removing one: twofa.services.removal)."""

import base64
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.tokens import TokenPair, sessions_end, token_pair_issue
from twofa.audit import audit_record
from twofa.exceptions import CodeExpired
from twofa.models import AuditEvent, Challenge, Method, MethodPreference
from twofa.services.challenges import challenge_check, challenge_create, enrollment_challenge_get

Kind = AuditEvent.Kind


@dataclass(frozen=True)
class TotpSetup:
    device: TOTPDevice
    secret: str  # base32, as apps take it
    otpauth_uri: str


def totp_setup(user: User, *, ip: str = "") -> TotpSetup:
    """Create an unconfirmed authenticator-app device (replacing any earlier
    unconfirmed one) and a setup challenge that `totp_confirm` checks."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    challenge_create(
        user=user,
        purpose=Challenge.Purpose.TOTP_SETUP,
        number="",
        channel=Method.TOTP,
        ip=ip,
        totp_device=device,
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return TotpSetup(device=device, secret=secret, otpauth_uri=device.config_url)


def totp_confirm(user: User, code: str, *, ip: str = "") -> TokenPair:
    """Confirm the app with a code from it: 2FA is on (the app preferred), other
    apps are removed, every other session ends; returns a 2FA-verified pair."""
    challenge = enrollment_challenge_get(user, Challenge.Purpose.TOTP_SETUP)
    verified = challenge_check(challenge, code, ip=ip)
    now = timezone.now()
    with transaction.atomic():
        device = TOTPDevice.objects.filter(pk=challenge.totp_device_id, user=user).first()
        if device is None:
            raise CodeExpired()
        device.confirmed = True
        # Added now; used once it answers a login or a step-up (me.twoFactor.authenticatorApp).
        device.created_at, device.last_used_at = now, None
        device.save(update_fields=["confirmed", "created_at", "last_used_at"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        MethodPreference.objects.update_or_create(user=user, defaults={"method": Method.TOTP})
        sessions_end(user, reason="totp_enrolled")
        tokens = token_pair_issue(user, amr=verified.amr, auth_time=now)
    audit_record(Kind.TOTP_ENROLLED, user=user, ip=ip)
    return tokens
