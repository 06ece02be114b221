"""What twofa does when accounts says something happened (accounts knows nothing of 2FA)."""

from django.dispatch import receiver

from accounts.signals import refresh_token_reused, sessions_ended
from twofa.audit import audit_record
from twofa.models import AuditEvent
from twofa.services import challenges_end_pending


@receiver(sessions_ended, dispatch_uid="twofa.challenges_end_pending")
def end_pending_challenges(sender, user, reason, **kwargs):
    challenges_end_pending(user)


@receiver(refresh_token_reused, dispatch_uid="twofa.audit_refresh_token_reused")
def record_refresh_token_reuse(sender, user, ip, family, revoked, **kwargs):
    audit_record(
        AuditEvent.Kind.REFRESH_TOKEN_REUSED, user=user, ip=ip, login=str(family), revoked=revoked
    )
