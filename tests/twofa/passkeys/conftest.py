"""Passkey fixtures: a software authenticator, and a user who registered it through /graphql."""

import pytest

from tests.documents import PASSWORD
from tests.twofa.passkeys.authenticator import SoftAuthenticator

REG_BEGIN = "mutation { passkeyRegistrationBegin { options expiresIn } }"
REG_COMPLETE = """
mutation($name: String!, $credential: WebAuthnJSON!) {
  passkeyRegistrationComplete(name: $name, credential: $credential) {
    token refreshToken recoveryCodesNeeded
    claims { amr authTime }
    passkey { id name createdAt lastUsedAt }
    user { twoFactor { enabled methods preferredMethod passkeys { id name } } }
  }
}
"""
LOGIN = """
mutation($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) {
    outcome {
      __typename
      ... on LoginChallenge { challenge method methods passkeyOptions message codeSent }
      ... on AuthTokensPayload { token }
    }
  }
}
"""
VERIFY = """
mutation($challenge: String!, $credential: WebAuthnJSON, $code: String, $method: TwoFactorMethod) {
  verifyToken(challenge: $challenge, credential: $credential, code: $code, method: $method) {
    token refreshToken claims { amr authTime }
  }
}
"""
LOGIN_BEGIN = "mutation { passkeyLoginBegin { handle options expiresIn } }"
LOGIN_COMPLETE = """
mutation($handle: String!, $credential: WebAuthnJSON!) {
  passkeyLoginComplete(handle: $handle, credential: $credential) {
    token refreshToken claims { amr authTime }
  }
}
"""
ME = "{ me { twoFactor { enabled methods preferredMethod passkeys { id name createdAt lastUsedAt } } } }"


@pytest.fixture
def authenticator() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def register(gql):
    """Register `authenticator` for the holder of `token`; returns the mutation's answer."""

    def run(token, authenticator, *, name="Laptop", **create):
        begun = gql(REG_BEGIN, token=token)
        assert not begun.errors, begun.body
        credential = authenticator.create(
            begun.data["passkeyRegistrationBegin"]["options"], **create
        )
        return gql(REG_COMPLETE, {"name": name, "credential": credential}, token=token)

    return run


@pytest.fixture
def passkey_user(user, password_token, register, authenticator):
    """alice with one passkey (registered by `authenticator`), nothing else."""
    done = register(password_token()["token"], authenticator)
    assert not done.errors, done.body
    return user


@pytest.fixture
def login(gql):
    """The password step for alice; returns the LoginChallenge."""

    def run(username="alice", password=PASSWORD):
        result = gql(LOGIN, {"username": username, "password": password})
        assert not result.errors, result.body
        outcome = result.data["tokenAuth"]["outcome"]
        assert outcome["__typename"] == "LoginChallenge", outcome
        return outcome

    return run
