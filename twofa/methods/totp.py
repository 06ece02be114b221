"""Authenticator apps: django-otp's TOTPDevice (RFC 6238), checked locally; nothing is sent.

Enrolled by setupTotp/confirmTotp: the setup challenge names the unconfirmed
device it is for (Challenge.totp_device); a login is answered by the user's
confirmed device. Each check locks the device row (what django-otp's
`for_verify=True` does) inside a transaction, so two logins racing with one
code are serialised and the second finds `last_t` already at that step: a code
works once. django-otp's own throttling (growing delays after wrong codes)
answers RATE_LIMITED with the wait.
"""

import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from core.exceptions import BadUserInput, RateLimited
from twofa.exceptions import CodeExpired
from twofa.methods.base import SecondFactorMethod
from twofa.models import Challenge


def totp_device_for(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


class TotpMethod(SecondFactorMethod):
    key = "totp"
    amr = "otp"
    prompt = gettext_lazy("Enter the code from your authenticator app.")

    def available(self, state) -> bool:
        return state.has_totp_app

    def ensure_usable(self, challenge: Challenge) -> None:
        # A challenge that began with the app finds it gone in `verify` (CODE_EXPIRED).
        if challenge.proves_owner and challenge.channel != self.key:
            if totp_device_for(challenge.user) is None:
                raise BadUserInput(_("No authenticator app is set up for this account."))

    def verify(self, challenge: Challenge, code: str) -> bool:
        if challenge.purpose == Challenge.Purpose.TOTP_SETUP:
            devices = TOTPDevice.objects.filter(pk=challenge.totp_device_id, confirmed=False)
        else:
            devices = TOTPDevice.objects.filter(user=challenge.user_id, confirmed=True)
        with transaction.atomic():
            device = devices.select_for_update().order_by("-pk").first()
            if device is None:  # removed (or replaced) since the challenge began
                raise CodeExpired()
            allowed, info = device.verify_is_allowed()
            if not allowed:
                locked_until = (info or {}).get("locked_until") or timezone.now()
                wait = (locked_until - timezone.now()).total_seconds()
                raise RateLimited(
                    _("Wait before trying another code."), retry_after=max(1, math.ceil(wait))
                )
            return device.verify_token(code)

    def remove(self, user: User) -> None:
        TOTPDevice.objects.filter(user=user).delete()
