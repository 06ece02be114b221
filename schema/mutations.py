"""The base of every mutation: who may call it, then what it does.

The shape of Saleor's BaseMutation (mutate -> check_permissions ->
perform_mutation), keeping our top-level `extensions.code` errors: a mutation
declares its access level, and the base checks it and hands `perform` the
caller (read once per request, with the user row fresh from the database) and
the client's address. "Who may do this" is written here once, and no mutation
reads the caller or the address itself.
"""

import enum

import graphene

from accounts.cookies import tokens_deliver
from accounts.models import User
from accounts.stages import login_stages_needed
from core.http import client_ip
from twofa.conf import twofa_settings


class Access(enum.Enum):
    """Who may call a mutation."""

    # Anyone; the Authorization header is not read, so a stale token can't fail
    # a sign-in or a sign-up.
    ANONYMOUS = "anonymous"
    # A full login: a token from the password alone for a user without 2FA, a
    # token verified with the second factor once the user has one.
    USER = "user"
    # A token verified with a second factor.
    SECOND_FACTOR = "second_factor"
    # A second factor checked within TWOFA_STEP_UP_MAX_AGE seconds (step-up for
    # changes that weaken or reveal the account's factors).
    RECENT_SECOND_FACTOR = "recent_second_factor"
    # Adding or changing a factor: a login is enough for the first one; once
    # 2FA is on, a recent second factor, so a stolen password-only session
    # can't swap the phone.
    ENROLLMENT = "enrollment"


def access_check(auth, access: Access) -> User | None:
    """The caller, if they may do what `access` guards; raises Unauthenticated or
    TwoFactorRequired otherwise (None for ANONYMOUS)."""
    if access is Access.ANONYMOUS:
        return None
    step_up = twofa_settings.TWOFA_STEP_UP_MAX_AGE
    if access is Access.SECOND_FACTOR:
        return auth.require_second_factor()
    if access is Access.RECENT_SECOND_FACTOR:
        return auth.require_second_factor(max_age=step_up)
    user = auth.require_user()
    if not login_stages_needed(user):
        return user
    if access is Access.ENROLLMENT:
        return auth.require_second_factor(max_age=step_up)
    return auth.require_second_factor()


class BaseMutation(graphene.Mutation):
    """Declare `access` and write `perform(info, *, user, ip, **arguments)`."""

    class Meta:
        abstract = True

    access: Access = Access.USER

    @classmethod
    def mutate(cls, root, info, **arguments):
        user = access_check(info.context.auth, cls.access)
        answer = cls.perform(info, user=user, ip=client_ip(info.context), **arguments)
        # Every answer that carries a refresh token: a browser client's goes to its cookie.
        tokens_deliver(info.context, answer)
        return answer

    @classmethod
    def perform(cls, info, *, user: User | None, ip: str, **arguments):
        raise NotImplementedError
