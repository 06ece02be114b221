"""Reads of a user's second factors: what they have set up, what a login starts with.

TwoFactorState asks the method registry (twofa.methods) which methods the user
has, so a new method shows in me.twoFactor and in a login's choices by itself.
"""

from datetime import datetime
from functools import cached_property

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Subquery
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from twofa.exceptions import InvalidPhone
from twofa.methods import method_get, methods_registered
from twofa.methods.totp import totp_device_for
from twofa.models import Method, MethodPreference, Passkey, PhoneNumber, RecoveryCode
from twofa.phone import phone_send_allow


def phone_number_for(user: User) -> PhoneNumber | None:
    """The user's verified phone, or None. Reads the reverse one-to-one once."""
    try:
        return user.phone_number
    except PhoneNumber.DoesNotExist:
        return None


class TwoFactorState:
    """A user's second factors, read from the database in one query when first asked."""

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def _facts(self) -> dict:
        """The phone, whether an app is confirmed or a passkey registered, the unused
        recovery codes and the preference, in one round trip: the password step of
        every login reads them. The dates the account page shows come along."""
        unused = RecoveryCode.objects.filter(user=OuterRef("pk"), used_at=None)
        app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).order_by("-pk")
        return (
            User.objects.filter(pk=self.user.pk)
            .annotate(
                has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                app_added=Subquery(app.values("created_at")[:1]),
                app_used=Subquery(app.values("last_used_at")[:1]),
                recovery_created=Subquery(
                    RecoveryCode.objects.filter(user=OuterRef("pk"))
                    .order_by("-created_at")
                    .values("created_at")[:1]
                ),
                has_passkeys=Exists(Passkey.objects.filter(user=OuterRef("pk"))),
                recovery_left=Subquery(
                    unused.values("user").annotate(n=Count("pk")).values("n")[:1]
                ),
                preferred=Subquery(
                    MethodPreference.objects.filter(user=OuterRef("pk")).values("method")[:1]
                ),
            )
            .values(
                "phone_number__pk",
                "phone_number__number",
                "phone_number__verified_at",
                "phone_number__last_used_at",
                "has_app",
                "app_added",
                "app_used",
                "recovery_created",
                "has_passkeys",
                "recovery_left",
                "preferred",
            )
            .get()
        )

    @cached_property
    def phone(self) -> PhoneNumber | None:
        facts = self._facts
        if facts["phone_number__pk"] is None:
            return None
        return PhoneNumber(
            pk=facts["phone_number__pk"],
            user=self.user,
            number=facts["phone_number__number"],
            verified_at=facts["phone_number__verified_at"],
            last_used_at=facts["phone_number__last_used_at"],
        )

    @property
    def app_added_at(self) -> datetime | None:
        """When the confirmed app was added; None without one."""
        return self._facts["app_added"] if self.has_totp_app else None

    @property
    def app_last_used_at(self) -> datetime | None:
        """When the app last answered a login or a step-up; None if never."""
        return self._facts["app_used"] if self.has_totp_app else None

    @property
    def recovery_codes_created_at(self) -> datetime | None:
        """When the current set of recovery codes was made; None without one."""
        return self._facts["recovery_created"]

    @property
    def has_totp_app(self) -> bool:
        return self._facts["has_app"]

    @property
    def has_passkeys(self) -> bool:
        return self._facts["has_passkeys"]

    @cached_property
    def totp_device(self) -> TOTPDevice | None:
        """The confirmed app itself (one more query, only for whoever needs the device)."""
        return totp_device_for(self.user) if self.has_totp_app else None

    @property
    def recovery_codes_remaining(self) -> int:
        return self._facts["recovery_left"] or 0

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
        is still available, else a passkey, else the app, else SMS (a call for a number that
        takes calls but no SMS, such as a landline); None without 2FA."""
        if not self.methods:
            return None
        chosen = self._facts["preferred"]
        preferable = chosen in self.methods and not method_get(chosen).fallback
        if preferable and chosen not in self._unreachable:
            return chosen
        if Method.PASSKEY in self.methods:
            return Method.PASSKEY.value
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
    """TwoFactorState.enabled as a query expression over users (a verified phone,
    a confirmed app or a passkey), for lists that annotate many users in one query."""
    phone = Exists(PhoneNumber.objects.filter(user=OuterRef("pk")))
    app = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    passkey = Exists(Passkey.objects.filter(user=OuterRef("pk")))
    return ExpressionWrapper(phone | app | passkey, output_field=BooleanField())


def passkeys_for(user: User) -> list[Passkey]:
    """The user's passkeys, oldest first."""
    return list(Passkey.objects.filter(user=user))


def methods_for(user: User) -> list[str]:
    return TwoFactorState(user).methods


def twofa_enabled(user: User) -> bool:
    return TwoFactorState(user).enabled
