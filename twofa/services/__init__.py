"""The 2FA use cases, one module each; the names other apps call are gathered here.

- challenges: a challenge from start to answer (shared by every use case);
- login: the second step of a login (start, check, resend);
- step_up: checking a second factor again within a session (start, check);
- phone: enrolling a phone; app: authenticator apps; passkeys: passkeys (and
  signing in with one alone); recovery: recovery codes;
- removal: removing one factor (the app, the phone) while the others stay;
- preferences: the preferred method, and turning 2FA off.

Nothing here knows an SDK or a method's internals: codes go out through the
delivery seam (twofa.providers via twofa.delivery) and are answered through
the methods seam (twofa.methods).
"""

from twofa.services.app import TotpSetup, totp_confirm, totp_setup
from twofa.services.challenges import (
    CodeNotSentReason,
    IssuedChallenge,
    Verified,
    challenges_end_pending,
)
from twofa.services.login import (
    challenge_resend,
    login_challenge_check,
    login_challenge_start,
    login_challenge_verify,
)
from twofa.services.passkeys import (
    PasskeyLoginStarted,
    PasskeyRegistered,
    passkey_credential_text,
    passkey_login_begin,
    passkey_login_complete,
    passkey_registration_begin,
    passkey_registration_complete,
    passkey_remove,
    passkey_rename,
)
from twofa.services.phone import enrollment_confirm, enrollment_start
from twofa.services.preferences import preferred_method_set, twofa_disable
from twofa.services.recovery import recovery_codes_generate
from twofa.services.removal import phone_remove, totp_remove
from twofa.services.step_up import step_up_complete, step_up_start

__all__ = [
    "CodeNotSentReason",
    "IssuedChallenge",
    "PasskeyLoginStarted",
    "PasskeyRegistered",
    "TotpSetup",
    "Verified",
    "challenge_resend",
    "challenges_end_pending",
    "enrollment_confirm",
    "enrollment_start",
    "login_challenge_check",
    "login_challenge_start",
    "login_challenge_verify",
    "passkey_credential_text",
    "passkey_login_begin",
    "passkey_login_complete",
    "passkey_registration_begin",
    "passkey_registration_complete",
    "passkey_remove",
    "passkey_rename",
    "phone_remove",
    "preferred_method_set",
    "recovery_codes_generate",
    "step_up_complete",
    "step_up_start",
    "totp_confirm",
    "totp_remove",
    "totp_setup",
    "twofa_disable",
]
