"""Keyset pages of polls (core.keyset): newest first by (published_at, id)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import User
from core import keyset
from polls.models import Poll
from polls.selectors import POLL_ORDER, polls_with_counts


@dataclass(frozen=True)
class PollsPage:
    polls: list[Poll]
    has_next_page: bool


def cursor_encode(poll: Poll) -> str:
    return keyset.cursor_encode(poll.published_at, poll.pk)


def polls_page(*, first: int | None, after: str | None, user: User | None) -> PollsPage:
    """Up to `first` polls (POLLS_PAGE_SIZE by default), newest first, after the cursor."""
    size = keyset.page_size_check(
        first,
        default=settings.POLLS_PAGE_SIZE,
        maximum=settings.POLLS_PAGE_SIZE_MAX,
        too_many=_("At most %(max)s polls a page."),
    )
    polls = polls_with_counts(user=user).order_by(*POLL_ORDER)
    if after is not None:
        polls = polls.filter(keyset.after_cursor("published_at", after))
    # One more than asked says whether another page follows, without a count.
    rows = list(polls[: size + 1])
    return PollsPage(polls=rows[:size], has_next_page=len(rows) > size)


def polls_count() -> int:
    return Poll.objects.count()
