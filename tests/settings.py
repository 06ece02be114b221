"""Settings for the test suite: production settings (DEBUG off) plus what tests need.

The environment still wins, so the same suite runs on PostgreSQL and Redis with
DATABASE_URL and REDIS_URL set.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-not-for-any-deployment")
# Tests read codes from the console outbox; DEBUG is off, so allow it explicitly.
os.environ.setdefault("TWOFA_ALLOW_CONSOLE_PROVIDER", "1")
# The test client and the live server speak plain HTTP on loopback.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: E402, F403

# The origin the tests' software authenticators sign for (not in the
# environment: subprocesses that check a production configuration don't inherit it).
WEBAUTHN_ALLOWED_ORIGINS = env_list("WEBAUTHN_ALLOWED_ORIGINS", "http://localhost:8000")  # noqa: F405

# Password hashing is deliberately slow; tests that don't measure it use a fast
# hasher (tests/accounts/test_accounts_hashing.py uses the production list).
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
