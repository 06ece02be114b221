"""GraphiQL's opening tabs: one per step of the sign-in flow, each with its variables.

GraphiQL at `/graphql` opens with these (its `defaultTabs`), so the API can be
learned by pressing Run, step by step, as the README's "The flow, with curl"
walks it. They are rendered into the page as JSON (web/templates/web/
graphiql.html, read by web/static/web/graphiql-init.js); a test validates each
document and its variables against the schema, so a schema change that breaks
one fails the suite.
"""

from dataclasses import asdict, dataclass

from polls.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME


@dataclass(frozen=True)
class GraphiQLTab:
    query: str
    variables: str
    headers: str = ""


# The variables GraphiQL shows, as JSON text, so the placeholders can carry a hint.
_TOKEN_HEADERS = '{\n  "Authorization": "Bearer <token from step 2, 3 or 4>"\n}'

GRAPHIQL_TABS = [
    GraphiQLTab(
        query="""# 1. Sign up (or skip to step 2 with the demo user).
mutation SignUp($username: String!, $password: String!, $email: String) {
  register(username: $username, password: $password, email: $email) {
    user { id username twoFactor { enabled } }
  }
}
""",
        variables=(
            '{\n  "username": "ada",\n  "password": "correct-horse-battery",\n'
            '  "email": "ada@example.com"\n}'
        ),
    ),
    GraphiQLTab(
        query="""# 2. Sign in with the password. Without 2FA the outcome is tokens; with 2FA,
# a LoginChallenge: a code goes to the phone (under `make run`: /dev/outbox).
mutation SignIn($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) {
    outcome {
      __typename
      ... on AuthTokensPayload { token refreshToken claims { username amr } }
      ... on LoginChallenge {
        challenge method methods channel phoneNumber codeSent codeNotSentReason
        retryAfter expiresIn message
      }
    }
  }
}
""",
        variables=f'{{\n  "username": "{DEMO_USERNAME}",\n  "password": "{DEMO_PASSWORD}"\n}}',
    ),
    GraphiQLTab(
        query="""# 3. Verify: answer the LoginChallenge from step 2 with the code
# (method: TOTP for an authenticator app, RECOVERY_CODE for a recovery code).
mutation Verify($challenge: String!, $code: String!, $method: TwoFactorMethod) {
  verifyToken(challenge: $challenge, code: $code, method: $method) {
    token refreshToken refreshExpiresAt claims { amr authTime }
  }
}
""",
        variables=(
            '{\n  "challenge": "<challenge from step 2>",\n  "code": "123456",\n  "method": null\n}'
        ),
    ),
    GraphiQLTab(
        query="""# 4. Enroll a phone: send a code (with a token in the Headers tab below),
# then confirm it with registerPhone. Run one operation at a time.
mutation EnrollPhone($phoneNumber: String!, $channel: Channel) {
  verifyPhone(phoneNumber: $phoneNumber, channel: $channel) {
    sent phoneNumber channel expiresIn
  }
}

mutation ConfirmPhone($phoneNumber: String!, $code: String!) {
  registerPhone(phoneNumber: $phoneNumber, code: $code) {
    user { twoFactor { enabled phoneNumber } }
    token refreshToken claims { amr authTime }
  }
}
""",
        variables='{\n  "phoneNumber": "+14155552671",\n  "channel": "SMS",\n  "code": "123456"\n}',
        headers=_TOKEN_HEADERS,
    ),
    GraphiQLTab(
        query="""# 5. Vote: needs a token verified with a second factor (Headers tab below).
# The choices' ids are in Polls (no token needed).
mutation Vote($choiceId: ID!) {
  vote(choiceId: $choiceId) {
    poll { question totalVotes myVote { text } choices { id text votes } }
  }
}

query Polls {
  pollsConnection(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id question totalVotes choices { id text votes } } }
  }
}
""",
        variables='{\n  "choiceId": "1"\n}',
        headers=_TOKEN_HEADERS,
    ),
    GraphiQLTab(
        query="""# 6. Refresh before the access token expires: a new pair, the same amr;
# the old refresh token stops working.
mutation Refresh($refreshToken: String) {
  refreshToken(refreshToken: $refreshToken) {
    token refreshToken refreshExpiresAt claims { amr authTime }
  }
}
""",
        variables='{\n  "refreshToken": "<refreshToken from step 3>"\n}',
    ),
]


def graphiql_tabs() -> list[dict]:
    """The tabs as GraphiQL's `defaultTabs` takes them."""
    return [{k: v for k, v in asdict(tab).items() if v} for tab in GRAPHIQL_TABS]
