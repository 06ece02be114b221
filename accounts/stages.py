"""Login stages: what a login must pass after the password, named in settings.

accounts knows nothing of second factors. An app that adds a step after the
password (twofa's challenge) names a LoginStage in ACCOUNTS_LOGIN_STAGES, the
way allauth's login stages work; the API's tokenAuth and the admin's login both
ask the same list, so a stage can't be skipped by signing in the other way.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.models import User


@dataclass(frozen=True)
class LoginPending:
    """A login stopped at a stage, waiting for the user's next step."""

    stage: str  # the stage's key
    # What tokenAuth answers (TokenAuthPayload's fields, by their Python names).
    answer: dict = field(default_factory=dict)
    # The stage's own result, for callers in this process (the admin's login).
    detail: object = None


class LoginStage:
    """One step between the right password and the tokens."""

    key = ""

    def is_needed(self, user: User) -> bool:
        """True when this user's login must pass the stage (a login without it is
        not a full one: see Access.SIGNED_IN)."""
        raise NotImplementedError

    def start(self, request, user: User, *, ip: str) -> LoginPending | None:
        """Begin the stage for a user who just gave the right password; None when
        the user has nothing to pass here."""
        raise NotImplementedError


def login_stages() -> list[LoginStage]:
    return [import_string(path)() for path in settings.ACCOUNTS_LOGIN_STAGES]


def login_stages_start(request, user: User, *, ip: str) -> LoginPending | None:
    """The first stage the user must pass, begun; None when the password is enough."""
    for stage in login_stages():
        pending = stage.start(request, user, ip=ip)
        if pending is not None:
            return pending
    return None


def login_stages_needed(user: User) -> bool:
    """True when a login of this user has a stage to pass after the password."""
    return any(stage.is_needed(user) for stage in login_stages())
