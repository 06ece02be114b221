"""One-time recovery codes, checked locally against their salted, keyed hashes.

A fallback: offered beside another method, never the preferred one. Issued
(and replaced) by generateRecoveryCodes. The user's unused codes are locked
while one is matched and marked used, so a code works once even when two
logins race with it.
"""

import re
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.exceptions import BadUserInput
from twofa.audit import audit_record
from twofa.methods.base import SecondFactorMethod
from twofa.models import AuditEvent, Challenge, RecoveryCode

# No 0/o, 1/l/i: codes are read off paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10  # about 50 bits
_RECOVERY_RE = re.compile(r"^[a-z0-9]{10}$")


def recovery_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def recovery_code_format(code: str) -> str:
    """How a code is shown: two groups of five, e.g. "k3m9p-x2q7r"."""
    return f"{code[:5]}-{code[5:]}"


def recovery_code_normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_digest(salt: str, code: str) -> str:
    return salted_hmac(f"twofa.recovery.{salt}", code, algorithm="sha256").hexdigest()


def recovery_codes_remaining(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


class RecoveryCodeMethod(SecondFactorMethod):
    key = "recovery"
    amr = "rec"
    fallback = True
    prompt = gettext_lazy("Enter one of your recovery codes.")

    def available(self, state) -> bool:
        return bool(state.recovery_codes_remaining)

    def ensure_usable(self, challenge: Challenge) -> None:
        if not recovery_codes_remaining(challenge.user):
            raise BadUserInput(_("There are no unused recovery codes for this account."))

    def normalise(self, code: str) -> str | None:
        code = recovery_code_normalise(code or "")
        return code if _RECOVERY_RE.match(code) else None

    def verify(self, challenge: Challenge, code: str) -> bool:
        with transaction.atomic():
            unused = RecoveryCode.objects.select_for_update().filter(
                user_id=challenge.user_id, used_at=None
            )
            for row in unused:
                if constant_time_compare(recovery_digest(row.salt, code), row.digest):
                    row.used_at = timezone.now()
                    row.save(update_fields=["used_at"])
                    return True
        return False

    def verified(self, challenge: Challenge, *, ip: str) -> None:
        user = challenge.user
        audit_record(
            AuditEvent.Kind.RECOVERY_CODE_USED,
            user=user,
            ip=ip,
            remaining=recovery_codes_remaining(user),
        )

    def remove(self, user: User) -> None:
        RecoveryCode.objects.filter(user=user).delete()
