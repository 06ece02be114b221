"""The 2FA audit trail: every event is stored (twofa.AuditEvent) and logged.

Each event is also one log record of the "twofa.audit" logger, with its
fields as the record's `audit` (a JSON log line carries them as an object),
and the events an operator graphs (sends, verifications, locks) are counted
in the metrics here, so the metrics and the audit trail agree by construction.
Phone numbers are stored and logged masked; codes never appear here.
"""

import ipaddress
import logging

from core import metrics
from twofa.models import AuditEvent
from twofa.phone import phone_mask

logger = logging.getLogger("twofa.audit")


def _ip_or_none(ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def audit_record(kind: str, *, user=None, phone: str = "", ip: str = "", **detail) -> AuditEvent:
    masked = phone_mask(phone) if phone else ""
    event = AuditEvent.objects.create(
        user=user, kind=kind, phone=masked, ip=_ip_or_none(ip), detail=detail
    )
    logger.info(
        "%s user=%s phone=%s ip=%s %s",
        kind,
        getattr(user, "pk", None),
        masked or "-",
        ip or "-",
        " ".join(f"{k}={v}" for k, v in sorted(detail.items())),
        extra={
            "audit": {
                "kind": kind,
                "user": getattr(user, "pk", None),
                "phone": masked,
                "ip": event.ip,
                **detail,
            }
        },
    )
    _metrics_count(kind, phone=phone, detail=detail)
    return event


def _metrics_count(kind: str, *, phone: str, detail: dict) -> None:
    Kind = AuditEvent.Kind
    if kind in (Kind.CODE_SENT, Kind.SEND_FAILED):
        outcome = "sent" if kind == Kind.CODE_SENT else "failed"
        metrics.CODES_SENT.labels(
            detail.get("provider", "unknown"),
            detail.get("channel", "unknown"),
            metrics.country_of(phone),
            outcome,
        ).inc()
    elif kind in (Kind.CODE_VERIFIED, Kind.WRONG_CODE):
        outcome = "verified" if kind == Kind.CODE_VERIFIED else "wrong"
        metrics.VERIFICATIONS.labels(detail.get("method", "unknown"), outcome).inc()
        if kind == Kind.CODE_VERIFIED:
            metrics.CHALLENGES.labels(detail.get("purpose", "unknown"), "verified").inc()
    elif kind == Kind.LOCKED:
        metrics.CHALLENGES.labels(detail.get("purpose", "unknown"), "locked").inc()
