"""Keyset pages: what a cursor holds and how it comes back in.

A cursor is the last item's place in a newest-first order (a time, then the
id for ties), not an offset: an item added between two requests lands before
the first page and shifts nothing after a cursor, so paging neither repeats
nor skips. Cursors are opaque to clients (base64 of JSON) and checked strictly
on the way back in: anything this API did not give out is BAD_USER_INPUT.
"""

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from core.exceptions import BadUserInput

_PK_MAX = 2**63 - 1
_CURSOR_MAX_LENGTH = 200


def cursor_encode(moment: datetime, pk: int) -> str:
    place = [moment.isoformat(), pk]
    return base64.urlsafe_b64encode(json.dumps(place, separators=(",", ":")).encode()).decode()


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    if len(cursor) > _CURSOR_MAX_LENGTH:  # ours are under 80 characters
        raise BadUserInput(_("The cursor is not one this API gave out."))
    try:
        at, pk = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
        moment = datetime.fromisoformat(at)
    except (ValueError, TypeError, UnicodeError, RecursionError, binascii.Error):
        raise BadUserInput(_("The cursor is not one this API gave out.")) from None
    if moment.tzinfo is None or type(pk) is not int or not 0 < pk <= _PK_MAX:
        raise BadUserInput(_("The cursor is not one this API gave out."))
    return moment, pk


def after_cursor(field: str, cursor: str) -> Q:
    """The rows after the cursor's place in the order (-field, -pk)."""
    moment, pk = cursor_decode(cursor)
    return Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk})


def page_size_check(first: int | None, *, default: int, maximum: int, too_many: str) -> int:
    """`first` as a page size (the default when omitted); BAD_USER_INPUT outside
    1..maximum. `too_many` is the field's message, translated, with %(max)s."""
    size = default if first is None else first
    if not 1 <= size <= maximum:
        raise BadUserInput(
            _("`first` must be between 1 and %(max)s.") % {"max": maximum},
            fields={"first": [too_many % {"max": maximum}]},
        )
    return size
