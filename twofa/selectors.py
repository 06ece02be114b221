"""Reads of a user's second factors: what they have set up, what a login starts with.

TwoFactorState asks the method registry (twofa.methods) which methods the user
has, so a new method shows in me.twoFactor and in a login's choices by itself.
"""

from functools import cached_property

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from twofa.exceptions import InvalidPhone
from twofa.methods import method_get, methods_registered
from twofa.methods.recovery import recovery_codes_remaining
from twofa.methods.totp import totp_device_for
from twofa.models import Method, MethodPreference, PhoneNumber
from twofa.phone import phone_send_allow


def phone_number_for(user: User) -> PhoneNumber | None:
    """The user's verified phone, or None. Reads the reverse one-to-one once."""
    try:
        return user.phone_number
    except PhoneNumber.DoesNotExist:
        return None


class TwoFactorState:
    """A user's second factors, each read from the database at most once."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def phone(self) -> PhoneNumber | None:
        return phone_number_for(self.user)

    @cached_property
    def totp_device(self) -> TOTPDevice | None:
        return totp_device_for(self.user)

    @cached_property
    def recovery_codes_remaining(self) -> int:
        return recovery_codes_remaining(self.user)

    @property
    def enabled(self) -> bool:
        """Whether any method is set up that answers on its own (not only a fallback)."""
        registered = methods_registered().values()
        return any(m.available(self) for m in registered if not m.fallback)

    @cached_property
    def methods(self) -> list[str]:
        """The second factors the user can sign in with, in a stable order."""
        registered = methods_registered().values()
        methods = [m.key for m in registered if not m.fallback and m.available(self)]
        if methods:  # a fallback (recovery codes) only beside another method
            methods += [m.key for m in registered if m.fallback and m.available(self)]
        return methods

    @cached_property
    def preferred_method(self) -> str | None:
        """The method a login challenge starts with: the user's choice while it
        is still available, else the app, else SMS (a call for a number that
        takes calls but no SMS, such as a landline); None without 2FA."""
        if not self.methods:
            return None
        chosen = (
            MethodPreference.objects.filter(user=self.user).values_list("method", flat=True).first()
        )
        preferable = chosen in self.methods and not method_get(chosen).fallback
        if preferable and chosen not in self._unreachable:
            return chosen
        if Method.TOTP in self.methods:
            return Method.TOTP.value
        if self.phone is None:  # only methods beyond the built-in ones: the first
            return self.methods[0]
        if Method.SMS in self._unreachable and Method.CALL not in self._unreachable:
            return Method.CALL.value
        return Method.SMS.value

    @cached_property
    def _unreachable(self) -> tuple[str, ...]:
        """The phone channels the send policy refuses for the user's number."""
        if self.phone is None:
            return ()
        unreachable = []
        for channel in (Method.SMS, Method.CALL):
            try:
                phone_send_allow(number=self.phone.number, channel=channel.value)
            except InvalidPhone:
                unreachable.append(channel.value)
        return tuple(unreachable)


def two_factor_enabled_expression() -> ExpressionWrapper:
    """TwoFactorState.enabled as a query expression over users (a verified phone
    or a confirmed app), for lists that annotate many users in one query."""
    phone = Exists(PhoneNumber.objects.filter(user=OuterRef("pk")))
    app = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    return ExpressionWrapper(phone | app, output_field=BooleanField())


def methods_for(user: User) -> list[str]:
    return TwoFactorState(user).methods


def twofa_enabled(user: User) -> bool:
    return TwoFactorState(user).enabled
