"""A user's own security events (the audit trail, twofa.AuditEvent), page by
page and shown as the user may see them.

Newest first by (created_at, id), with keyset cursors (core.keyset). What is
shown is what the admin shows, masked for the user: the phone as stored
(masked at write, twofa.audit), the client address only as its coarse network
(core.http.client_network_coarse), and of the detail only the method and the
purpose; provider names, error classes and staff names stay with the staff.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from core import keyset
from core.http import client_network_coarse
from twofa.models import AuditEvent, Challenge, Method

# Enough for a screen of recent events; the largest page keeps a query cheap.
PAGE_SIZE = 20
PAGE_SIZE_MAX = 100

_METHODS = frozenset(Method.values)
_PURPOSES = frozenset(Challenge.Purpose.values)


@dataclass(frozen=True)
class SecurityEvent:
    pk: int
    kind: str
    occurred_at: datetime
    method: str | None
    purpose: str | None
    phone_number: str | None
    network: str | None

    @property
    def cursor(self) -> str:
        return keyset.cursor_encode(self.occurred_at, self.pk)


@dataclass(frozen=True)
class SecurityEventsPage:
    events: list[SecurityEvent]
    has_next_page: bool


def _shown(event: AuditEvent) -> SecurityEvent:
    detail = event.detail if isinstance(event.detail, dict) else {}
    method = detail.get("method") or detail.get("channel")
    purpose = detail.get("purpose")
    return SecurityEvent(
        pk=event.pk,
        kind=event.kind,
        occurred_at=event.created_at,
        method=method if method in _METHODS else None,
        purpose=purpose if purpose in _PURPOSES else None,
        phone_number=event.phone or None,
        network=client_network_coarse(event.ip or "") or None,
    )


def security_events_page(user: User, *, first: int | None, after: str | None) -> SecurityEventsPage:
    """Up to `first` of the user's own events (PAGE_SIZE by default), newest
    first, after the cursor. Only `user`'s: the caller is checked at the edge."""
    size = keyset.page_size_check(
        first,
        default=PAGE_SIZE,
        maximum=PAGE_SIZE_MAX,
        too_many=_("At most %(max)s events a page."),
    )
    events = AuditEvent.objects.filter(user=user).order_by("-created_at", "-pk")
    if after is not None:
        events = events.filter(keyset.after_cursor("created_at", after))
    # One more than asked says whether another page follows, without a count.
    rows = list(events[: size + 1])
    return SecurityEventsPage(
        events=[_shown(e) for e in rows[:size]], has_next_page=len(rows) > size
    )
