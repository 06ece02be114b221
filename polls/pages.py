"""Keyset pages of polls: what a cursor holds and how a page is read.

A cursor is the last poll's place in the order (published_at, id), not an
offset: a poll published between two requests lands before the first page and
shifts nothing after a cursor, so paging neither repeats nor skips a poll.
Cursors are opaque to clients (base64 of JSON) and checked strictly on the way
back in: anything this API did not give out is BAD_USER_INPUT.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import BadUserInput
from polls.models import Poll
from polls.selectors import POLL_ORDER, polls_with_counts

_PK_MAX = 2**63 - 1
_CURSOR_MAX_LENGTH = 200


@dataclass(frozen=True)
class PollsPage:
    polls: list[Poll]
    has_next_page: bool


def cursor_encode(poll: Poll) -> str:
    place = [poll.published_at.isoformat(), poll.pk]
    return base64.urlsafe_b64encode(json.dumps(place, separators=(",", ":")).encode()).decode()


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    if len(cursor) > _CURSOR_MAX_LENGTH:  # ours are under 80 characters
        raise BadUserInput(_("The cursor is not one this API gave out."))
    try:
        at, pk = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
        published_at = datetime.fromisoformat(at)
    except (ValueError, TypeError, UnicodeError, RecursionError, binascii.Error):
        raise BadUserInput(_("The cursor is not one this API gave out.")) from None
    if published_at.tzinfo is None or type(pk) is not int or not 0 < pk <= _PK_MAX:
        raise BadUserInput(_("The cursor is not one this API gave out."))
    return published_at, pk


def polls_page(*, first: int | None, after: str | None, user: User | None) -> PollsPage:
    """Up to `first` polls (POLLS_PAGE_SIZE by default), newest first, after the cursor."""
    size = settings.POLLS_PAGE_SIZE if first is None else first
    if not 1 <= size <= settings.POLLS_PAGE_SIZE_MAX:
        raise BadUserInput(
            _("`first` must be between 1 and %(max)s.") % {"max": settings.POLLS_PAGE_SIZE_MAX},
            fields={
                "first": [
                    _("At most %(max)s polls a page.") % {"max": settings.POLLS_PAGE_SIZE_MAX}
                ]
            },
        )
    polls = polls_with_counts(user=user).order_by(*POLL_ORDER)
    if after is not None:
        published_at, pk = cursor_decode(after)
        polls = polls.filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk)
        )
    # One more than asked says whether another page follows, without a count.
    rows = list(polls[: size + 1])
    return PollsPage(polls=rows[:size], has_next_page=len(rows) > size)


def polls_count() -> int:
    return Poll.objects.count()
