"""Signals other apps listen to, so accounts needs to know nothing of them.

`sessions_ended` is sent (inside the transaction) after sessions_end() has
ended every session of a user: twofa ends the user's pending challenges.

`refresh_token_reused` is sent (inside the transaction) after a rotated refresh
token was presented again and every token of its login was revoked: twofa
records it in the audit trail.

`session_revoked` is sent (inside the transaction) after a user ended one of
their sessions (session_revoke): twofa records it in the audit trail.
"""

from django.dispatch import Signal

# sender: the User class; user: the user; reason: why, e.g. "password_changed";
# ip: the client address that asked, when a client did ("" otherwise).
sessions_ended = Signal()

# sender: the RefreshToken class; user: the token's owner; ip: the client address
# that presented it; family: the login's id; revoked: its tokens that were still usable.
refresh_token_reused = Signal()

# sender: the RefreshToken class; user: the session's owner; family: the
# login's id; ip: the client address that asked.
session_revoked = Signal()
