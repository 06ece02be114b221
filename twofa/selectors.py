from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from twofa.models import Method, MethodPreference, PhoneNumber, RecoveryCode


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


def methods_for(user: User) -> list[str]:
    """The second factors the user can sign in with, in a stable order."""
    methods = []
    if phone_number_for(user) is not None:
        methods += [Method.SMS.value, Method.CALL.value]
    if totp_device_for(user) is not None:
        methods.append(Method.TOTP.value)
    if methods and recovery_codes_remaining(user):
        methods.append(Method.RECOVERY_CODE.value)
    return methods


def preferred_method_for(user: User, methods: list[str] | None = None) -> str | None:
    """The method a login challenge starts with: the user's choice while it is
    still available, else the app, else SMS; None without 2FA."""
    methods = methods_for(user) if methods is None else methods
    chosen = MethodPreference.objects.filter(user=user).values_list("method", flat=True).first()
    if chosen in methods and chosen != Method.RECOVERY_CODE:
        return chosen
    for method in (Method.TOTP, Method.SMS):
        if method in methods:
            return method.value
    return None


def twofa_enabled(user: User) -> bool:
    return phone_number_for(user) is not None or totp_device_for(user) is not None
