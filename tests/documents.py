"""Constants and GraphQL documents the tests share."""

PASSWORD = "correct-horse-battery-staple"
PHONE = "+14155552671"
OTHER_PHONE = "+14155550123"

TOKEN_AUTH = """
mutation($username: String!, $password: String!) {
  tokenAuth(username: $username, password: $password) {
    twoFactorRequired token refreshToken payload refreshExpiresIn
    challenge channel phoneNumber expiresIn message
    codeSent codeNotSentReason retryAfter methods
  }
}
"""

VERIFY_TOKEN = """
mutation($challenge: String!, $code: String!) {
  verifyToken(challenge: $challenge, code: $code) { token refreshToken payload refreshExpiresIn }
}
"""
