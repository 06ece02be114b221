from functools import cached_property

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from twofa.exceptions import InvalidPhone
from twofa.models import Method, MethodPreference, PhoneNumber, RecoveryCode
from twofa.phone import phone_send_allow


def phone_number_for(user: User) -> PhoneNumber | None:
    """The user's verified phone, or None. Reads the reverse one-to-one once."""
    try:
        return user.phone_number
    except PhoneNumber.DoesNotExist:
        return None


def totp_device_for(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_remaining(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


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
        return self.phone is not None or self.totp_device is not None

    @cached_property
    def methods(self) -> list[str]:
        """The second factors the user can sign in with, in a stable order."""
        methods = []
        if self.phone is not None:
            methods += [Method.SMS.value, Method.CALL.value]
        if self.totp_device is not None:
            methods.append(Method.TOTP.value)
        if methods and self.recovery_codes_remaining:
            methods.append(Method.RECOVERY_CODE.value)
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
        if chosen in self.methods and chosen not in (Method.RECOVERY_CODE, *self._unreachable):
            return chosen
        if Method.TOTP in self.methods:
            return Method.TOTP.value
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
