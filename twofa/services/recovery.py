"""Recovery codes: a new set replaces the old, shown once, stored hashed."""

import secrets

from django.db import transaction

from accounts.models import User
from twofa.audit import audit_record
from twofa.conf import twofa_settings
from twofa.methods.recovery import recovery_code_format, recovery_code_new, recovery_digest
from twofa.models import AuditEvent, RecoveryCode

Kind = AuditEvent.Kind


def recovery_codes_generate(user: User, *, ip: str = "") -> list[str]:
    """Replace the user's recovery codes with a new set; the codes are shown
    this once (only salted hashes are stored)."""
    codes = [recovery_code_new() for _ in range(twofa_settings.RECOVERY_CODE_COUNT)]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(user=user, salt=salt, digest=recovery_digest(salt, code)))
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(rows)
    audit_record(Kind.RECOVERY_CODES_GENERATED, user=user, ip=ip, count=len(codes))
    return [recovery_code_format(code) for code in codes]
