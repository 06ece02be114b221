"""Removing one second factor while the others stay: the authenticator app, or the phone.

One rule for every factor: the factor goes, the login-start preference for it
goes, and every session ends (the account's factors changed). Removing the
last factor that answers on its own turns 2FA off altogether (twofa_disable:
recovery codes go too), since recovery codes alone are no second factor.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tokens import sessions_end
from core.exceptions import BadUserInput
from twofa.audit import audit_record
from twofa.methods import method_get
from twofa.models import AuditEvent, Method, MethodPreference
from twofa.selectors import TwoFactorState, phone_number_for
from twofa.services.preferences import twofa_disable

Kind = AuditEvent.Kind

PHONE_METHODS = (Method.SMS.value, Method.CALL.value)


def _factor_remove(
    user: User, methods: tuple[str, ...], *, kind: str, reason: str, ip: str, phone: str = ""
) -> None:
    with transaction.atomic():
        # Two removals at once (the app in one tab, the phone in another) each
        # see the other factor still there unless they take turns: the user's
        # row is the turn, so the second sees it is the last and turns 2FA off.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        state = TwoFactorState(user)
        if not any(m in state.methods for m in methods):
            raise BadUserInput(_("That method is not set up for this account."))
        others = [m for m in state.methods if m not in methods and not method_get(m).fallback]
        audit_record(kind, user=user, phone=phone, ip=ip)
        if not others:
            twofa_disable(user, ip=ip)
            return
        for key in methods:
            method_get(key).remove(user)
        MethodPreference.objects.filter(user=user, method__in=methods).delete()
        sessions_end(user, reason=reason)


def totp_remove(user: User, *, ip: str = "") -> None:
    """Remove the authenticator app; every session ends. Without another
    factor left, 2FA is turned off."""
    _factor_remove(user, (Method.TOTP.value,), kind=Kind.TOTP_REMOVED, reason="totp_removed", ip=ip)


def phone_remove(user: User, *, ip: str = "") -> None:
    """Remove the phone (SMS and calls alike); every session ends, and with
    them the challenges pending on the number. Without another factor left,
    2FA is turned off."""
    phone = phone_number_for(user)
    _factor_remove(
        user,
        PHONE_METHODS,
        kind=Kind.PHONE_REMOVED,
        reason="phone_removed",
        ip=ip,
        phone=phone.number if phone else "",
    )
