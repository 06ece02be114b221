"""What retention deletes in twofa: finished challenges and old audit events.

The daily rollups (twofa.rollups) are never deleted: staff's view of sends and
fraud reads them long after the rows they were counted from are gone.
"""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from twofa.conf import twofa_settings
from twofa.models import AuditEvent, Challenge


def challenges_finished_before() -> QuerySet:
    """Challenges older than TWOFA_RETENTION_CHALLENGES_DAYS that are over:
    verified, failed, replaced, or pending past their expiry."""
    now = timezone.now()
    cutoff = now - timedelta(days=twofa_settings.TWOFA_RETENTION_CHALLENGES_DAYS)
    over = ~Q(status=Challenge.Status.PENDING) | Q(expires_at__lte=now)
    return Challenge.objects.filter(over, created_at__lt=cutoff)


def audit_events_before() -> QuerySet:
    """Audit events older than TWOFA_RETENTION_AUDIT_DAYS."""
    cutoff = timezone.now() - timedelta(days=twofa_settings.TWOFA_RETENTION_AUDIT_DAYS)
    return AuditEvent.objects.filter(created_at__lt=cutoff)
