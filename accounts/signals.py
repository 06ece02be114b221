"""Signals other apps listen to, so accounts needs to know nothing of them.

`sessions_ended` is sent (inside the transaction) after sessions_end() has
ended every session of a user: twofa ends the user's pending challenges.
"""

from django.dispatch import Signal

# sender: the User class; user: the user; reason: why, e.g. "password_changed".
sessions_ended = Signal()
