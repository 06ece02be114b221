"""One-time recovery codes, checked locally against their salted, keyed hashes.

The challenge's reference is the user's id. The user's unused codes are locked
while one is matched and marked used, so a code works once even when two
logins race with it.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from twofa.models import RecoveryCode
from twofa.providers.base import LocalVerifier

# No 0/o, 1/l/i: codes are read off paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 10  # about 50 bits


def recovery_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def recovery_code_format(code: str) -> str:
    """How a code is shown: two groups of five, e.g. "k3m9p-x2q7r"."""
    return f"{code[:5]}-{code[5:]}"


def recovery_code_normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_digest(salt: str, code: str) -> str:
    return salted_hmac(f"twofa.recovery.{salt}", code, algorithm="sha256").hexdigest()


class RecoveryCodeVerifier(LocalVerifier):
    name = "recovery"

    def check(self, *, ref: str, to: str, code: str) -> bool:
        code = recovery_code_normalise(code)
        with transaction.atomic():
            unused = RecoveryCode.objects.select_for_update().filter(user_id=ref, used_at=None)
            for row in unused:
                if constant_time_compare(recovery_digest(row.salt, code), row.digest):
                    row.used_at = timezone.now()
                    row.save(update_fields=["used_at"])
                    return True
        return False
