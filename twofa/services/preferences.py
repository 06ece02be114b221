"""Which method a login starts with, and turning 2FA off (or staff resetting it)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tokens import sessions_end
from core.exceptions import BadUserInput
from twofa import limits
from twofa.audit import audit_record
from twofa.methods import method_get, methods_registered
from twofa.models import AuditEvent, MethodPreference, PhoneNumber
from twofa.selectors import methods_for

Kind = AuditEvent.Kind


def preferred_method_set(user: User, method: str, *, ip: str = "") -> None:
    if method_get(method).fallback:
        raise BadUserInput(
            _("Recovery codes are for emergencies and can't be the preferred method.")
        )
    if method not in methods_for(user):
        raise BadUserInput(_("That method is not set up for this account."))
    MethodPreference.objects.update_or_create(user=user, defaults={"method": method})
    audit_record(Kind.PREFERENCE_CHANGED, user=user, ip=ip, method=method)


def twofa_disable(user: User, *, ip: str = "", by_staff: User | None = None) -> None:
    """Turn 2FA off: forget the phone, the app and the recovery codes; every
    session of the user ends, and with them pending challenges. `by_staff`:
    the staff member who reset it (the audit row names them)."""
    with transaction.atomic():
        phone = PhoneNumber.objects.filter(user=user).first()
        for method in methods_registered().values():
            method.remove(user)
        MethodPreference.objects.filter(user=user).delete()
        sessions_end(user, reason="twofa_reset" if by_staff else "twofa_disabled")
    limits.backoff_clear(user)
    actor = {"by_staff": by_staff.get_username(), "by_staff_id": by_staff.pk} if by_staff else {}
    audit_record(
        Kind.RESET if by_staff else Kind.DISABLED,
        user=user,
        phone=phone.number if phone else "",
        ip=ip,
        **actor,
    )
