"""The development outbox: the last codes the console provider wrote, for `GET /dev/outbox`.

The console provider appends one JSON line per message to TWOFA_CONSOLE_OUTBOX
(twofa/providers/console.py). An afternoon of trying flows makes that file
grow, so only its tail is read; a missing file is an empty outbox, and a line
cut in half (the reader raced the writer) is skipped.
"""

import json
import os

OUTBOX_LIMIT = 20
# Each line is ~150 bytes; this reads a few times more than OUTBOX_LIMIT lines need.
TAIL_BYTES = 32 * 1024


def outbox_messages(path: str, *, limit: int = OUTBOX_LIMIT) -> list[dict]:
    """The last `limit` messages in the outbox file, newest first, in the page's shape."""
    try:
        with open(path, "rb") as outbox:
            outbox.seek(0, os.SEEK_END)
            size = outbox.tell()
            outbox.seek(max(0, size - TAIL_BYTES))
            tail = outbox.read()
    except FileNotFoundError:
        return []
    lines = tail.splitlines()
    if size > TAIL_BYTES and lines:
        lines = lines[1:]  # the first line starts before the tail: partial
    messages = []
    for line in reversed(lines):
        try:
            written = json.loads(line)
            message = {
                "to": written["to"],
                "channel": written["channel"],
                "purpose": written["purpose"],
                "code": written["code"],
                "sentAt": written["sent_at"],
            }
        except (ValueError, KeyError, TypeError):
            continue
        messages.append(message)
        if len(messages) == limit:
            break
    return messages
