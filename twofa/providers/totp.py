"""Authenticator apps: django-otp's TOTPDevice (RFC 6238), checked locally.

The challenge's reference is the device's id. Each check locks the device row
(what django-otp's `for_verify=True` does) inside a transaction, so two logins
racing with one code are serialised and the second finds `last_t` already at
that step: a code works once. django-otp's own throttling (growing delays
after wrong codes) answers RATE_LIMITED with the wait.
"""

import math

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.exceptions import RateLimited
from twofa.exceptions import CodeExpired
from twofa.providers.base import LocalVerifier


class TotpVerifier(LocalVerifier):
    name = "totp"

    def check(self, *, ref: str, to: str, code: str) -> bool:
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().filter(pk=ref).first()
            if device is None:  # removed (or replaced) since the challenge began
                raise CodeExpired()
            allowed, info = device.verify_is_allowed()
            if not allowed:
                locked_until = (info or {}).get("locked_until") or timezone.now()
                wait = (locked_until - timezone.now()).total_seconds()
                retry_after = max(1, math.ceil(wait))
                raise RateLimited("Wait before trying another code.", retry_after=retry_after)
            return device.verify_token(code)
