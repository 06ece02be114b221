"""What twofa does when accounts says something happened (accounts knows nothing of 2FA)."""

from django.dispatch import receiver

from accounts.signals import refresh_token_reused, session_revoked, sessions_ended
from twofa.audit import audit_record
from twofa.models import AuditEvent
from twofa.services import challenges_end_pending


@receiver(sessions_ended, dispatch_uid="twofa.challenges_end_pending")
def end_pending_challenges(sender, user, reason, **kwargs):
    challenges_end_pending(user)


@receiver(sessions_ended, dispatch_uid="twofa.audit_signed_out_everywhere")
def record_sign_out_everywhere(sender, user, reason, ip="", **kwargs):
    # The other reasons (a factor or the password changed) have their own rows.
    if reason == "signed_out_everywhere":
        audit_record(AuditEvent.Kind.SIGNED_OUT_EVERYWHERE, user=user, ip=ip)


@receiver(session_revoked, dispatch_uid="twofa.audit_session_revoked")
def record_session_revoked(sender, user, family, ip, **kwargs):
    audit_record(AuditEvent.Kind.SESSION_REVOKED, user=user, ip=ip, login=str(family))


@receiver(refresh_token_reused, dispatch_uid="twofa.audit_refresh_token_reused")
def record_refresh_token_reuse(sender, user, ip, family, revoked, **kwargs):
    audit_record(
        AuditEvent.Kind.REFRESH_TOKEN_REUSED, user=user, ip=ip, login=str(family), revoked=revoked
    )
