"""Step-up: a signed-in user checks a second factor again, in place.

The gated changes (schema.mutations, Access.RECENT_SECOND_FACTOR) want a
second factor checked within TWOFA_STEP_UP_MAX_AGE seconds. Rather than a new
sign-in with the password, the user answers a challenge of purpose STEP_UP
(started like a login's: the same sends, limits, back-off and audit, through
login.owner_challenge_start; answered like a login's, through
challenges.challenge_check), and the session goes on with a fresh `auth_time`
(accounts.tokens.token_pair_step_up). A step-up challenge never yields a login.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tokens import Claims, TokenPair, token_pair_step_up
from core.exceptions import BadUserInput
from twofa.models import Challenge
from twofa.selectors import TwoFactorState
from twofa.services.challenges import IssuedChallenge, challenge_check
from twofa.services.login import owner_challenge_get, owner_challenge_start


def step_up_start(user: User, *, method: str | None = None, ip: str = "") -> IssuedChallenge:
    """Start a step-up challenge for `user` by `method` (default: the preferred
    one); it replaces the user's earlier pending step-up challenge."""
    state = TwoFactorState(user)
    if not state.enabled:
        raise BadUserInput(_("Two-factor authentication is off: there is nothing to confirm."))
    method = method or state.preferred_method
    if method not in state.methods:
        raise BadUserInput(_("That method is not set up for this account."))
    return owner_challenge_start(
        user, purpose=Challenge.Purpose.STEP_UP, method=method, ip=ip, state=state
    )


def step_up_complete(
    user: User, claims: Claims, token: str, code: str, *, method: str | None = None, ip: str = ""
) -> TokenPair:
    """Check the answer to the caller's own step-up challenge (CODE_EXPIRED for
    any other, as for an unknown one); a right one continues the session with
    `auth_time` now and the methods it proved added to its `amr`."""
    challenge = owner_challenge_get(token, [Challenge.Purpose.STEP_UP], user=user)
    verified = challenge_check(challenge, code, ip=ip, method=method)
    return token_pair_step_up(user, claims, amr=verified.proved)
