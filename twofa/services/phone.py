"""Enrolling a phone: a code to the new number, then the number becomes the 2FA phone."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.tokens import TokenPair, sessions_end, token_pair_issue
from twofa.audit import audit_record
from twofa.models import AuditEvent, Challenge, Channel, PhoneNumber
from twofa.phone import phone_normalise
from twofa.services.challenges import challenge_check, challenge_create, enrollment_challenge_get

Kind = AuditEvent.Kind


def enrollment_start(
    user: User, raw_number: str, *, channel: str = Channel.SMS, ip: str = ""
) -> Challenge:
    """Send an enrollment code to a new number; earlier pending enrollments end."""
    number = phone_normalise(raw_number)
    return challenge_create(
        user=user, purpose=Challenge.Purpose.ENROLL, number=number, channel=channel, ip=ip
    ).challenge


def enrollment_confirm(user: User, raw_number: str, code: str, *, ip: str = "") -> TokenPair:
    """Check an enrollment code; on success the number is the user's 2FA phone.

    Returns a fresh 2FA-verified token pair. Every other session ends, since
    the second factor just changed.
    """
    number = phone_normalise(raw_number)
    challenge = enrollment_challenge_get(user, Challenge.Purpose.ENROLL, phone_number=number)
    verified = challenge_check(challenge, code, ip=ip)
    now = timezone.now()
    with transaction.atomic():
        _, created = PhoneNumber.objects.update_or_create(
            user=user, defaults={"number": number, "verified_at": now, "last_used_at": None}
        )
        sessions_end(user, reason="phone_enrolled" if created else "phone_changed")
        tokens = token_pair_issue(user, amr=verified.amr, auth_time=now)
    audit_record(Kind.ENROLLED if created else Kind.PHONE_CHANGED, user=user, phone=number, ip=ip)
    return tokens
