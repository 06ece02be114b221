"""The shape every factor removal shares: a recent second factor, one service
call, then the caller's session carried on with a new token pair (the service
ended every session, the caller's included)."""

from accounts.schema import SessionTokensPayload
from schema.mutations import Access, BaseMutation


class FactorRemoval(BaseMutation):
    """Declare `Output` (a SessionTokensPayload) and `remove(user, *, ip)`."""

    class Meta:
        abstract = True

    Output: type[SessionTokensPayload]
    access = Access.RECENT_SECOND_FACTOR

    @staticmethod
    def remove(user, *, ip: str) -> None:
        raise NotImplementedError

    @classmethod
    def perform(cls, info, *, user, ip):
        cls.remove(user, ip=ip)
        return cls.Output.answer(user, claims=info.context.auth.claims)
