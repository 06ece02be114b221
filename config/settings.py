"""Pollstr settings.

Everything a deployment changes comes from the environment. Every default is the
safe one: DEBUG off, no GraphiQL, no introspection, and no server at all without
a SECRET_KEY once DEBUG is off. The embedded defaults (SQLite, local-memory
cache, console provider) need no credentials and are meant for development.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "value (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    # Development only: DEBUG is on, so a throwaway key is acceptable.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    # Django's admin with staff.sites.StaffAdminSite as admin.site (password + second factor).
    "staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "graphene_django",
    "accounts",
    "twofa",
    "polls",
    "schema",
    "web",
    "staff",
    "ops",
]

MIDDLEWARE = [
    # First: a request id, its log context and its metrics for every answer.
    "ops.middleware.RequestContextMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Accept-Language in, Content-Language and Vary out (the GraphQL view
    # switches to a signed-in user's own language).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "staff.middleware.AdminContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- HTTP security ---------------------------------------------------------------
# Production-safe by default (DEBUG off): HTTPS only, HSTS, secure cookies. A
# plain-HTTP loopback benchmark or test turns the redirect off explicitly with
# SECURE_SSL_REDIRECT=0.

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz and /readyz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Storage ------------------------------------------------------------------

# DATABASE_URL, e.g. postgres://user@127.0.0.1:5432/pollstr; SQLite by default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: write-ahead logging, so readers don't wait for a
    # writer and a commit costs one fsync of the log, not of the database;
    # IMMEDIATE transactions take the write lock up front instead of failing
    # with "database is locked" halfway; and a short wait for a busy lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 5,
        }
    )

# REDIS_URL, e.g. redis://127.0.0.1:6379/0; local memory by default. Rate limits
# and other shared counters live in this cache, so production needs Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "pollstr"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"

# Argon2id first (OWASP's recommendation); older hashes still verify and are
# re-hashed with Argon2id at the user's next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-graphql-jwt signs and verifies the access tokens; refresh tokens are
# our own (accounts.RefreshToken), because the library's refresh drops custom
# claims and leaves the old refresh token valid.
GRAPHQL_JWT = {
    "JWT_ALGORITHM": "HS256",
    "JWT_VERIFY": True,
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_EXPIRATION_DELTA": timedelta(seconds=env_int("JWT_EXPIRATION_SECONDS", 300)),
    "JWT_REFRESH_EXPIRATION_DELTA": timedelta(
        seconds=env_int("JWT_REFRESH_EXPIRATION_SECONDS", 7 * 24 * 3600)
    ),
    "JWT_AUTH_HEADER_PREFIX": "Bearer",
    "JWT_ISSUER": "pollstr",
}
# Seconds after a refresh token's rotation within which presenting it again is
# refused without ending the login (two tabs refreshing at once); later, a
# replay ends every token of the login.
REFRESH_TOKEN_REUSE_LEEWAY = env_int("REFRESH_TOKEN_REUSE_LEEWAY", 10)
# Browser sessions (accounts.cookies): the cookie that carries a browser
# client's refresh token. Secure follows DEBUG like the session cookie's; relax
# it only for plain-HTTP local testing (accounts.W003 warns with DEBUG off).
REFRESH_TOKEN_COOKIE_NAME = os.environ.get("REFRESH_TOKEN_COOKIE_NAME", "pollstr_refresh")
REFRESH_TOKEN_COOKIE_SECURE = env_bool("REFRESH_TOKEN_COOKIE_SECURE", not DEBUG)

# The admin (staff.sessions): a session ends this many seconds after its login,
# however busy, and after this many seconds without an admin request.
ADMIN_SESSION_MAX_AGE = env_int("ADMIN_SESSION_MAX_AGE", 8 * 3600)
ADMIN_SESSION_IDLE_TIMEOUT = env_int("ADMIN_SESSION_IDLE_TIMEOUT", 30 * 60)

# --- GraphQL ------------------------------------------------------------------

# GraphiQL and schema introspection are turned on and off together.
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", DEBUG)

# Limits on one request and one document (QUERY_TOO_COMPLEX beyond them; 0 = no limit
# for depth, fields and aliases).
GRAPHQL_MAX_DOCUMENT_LENGTH = env_int("GRAPHQL_MAX_DOCUMENT_LENGTH", 20_000)
# Parsing costs about 10 µs a token, paid for every document a stranger sends:
# 1,000 is over three times the largest document the schema needs (GraphiQL's
# introspection query is about 160 tokens, 200 fields of it about 300).
GRAPHQL_MAX_TOKENS = env_int("GRAPHQL_MAX_TOKENS", 1_000)
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 10)
GRAPHQL_MAX_FIELDS = env_int("GRAPHQL_MAX_FIELDS", 200)
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 10)
# Times one field of the response may be asked (fragments merged): validation
# compares every pair of them.
GRAPHQL_MAX_FIELD_REPEATS = env_int("GRAPHQL_MAX_FIELD_REPEATS", 10)
# Lists and objects nested in one variable's value (BAD_USER_INPUT beyond it):
# deeper input would exhaust the recursion of input coercion.
GRAPHQL_MAX_VARIABLE_DEPTH = env_int("GRAPHQL_MAX_VARIABLE_DEPTH", 10)
# Parsed and validated documents kept per process (0 turns the cache off), and
# the longest document that is kept (characters).
GRAPHQL_DOCUMENT_CACHE_SIZE = env_int("GRAPHQL_DOCUMENT_CACHE_SIZE", 500)
GRAPHQL_DOCUMENT_CACHE_MAX_LENGTH = env_int("GRAPHQL_DOCUMENT_CACHE_MAX_LENGTH", 5_000)
# The most memory (bytes, estimated per entry) the cache holds per process: a
# stranger's distinct heavy documents evict each other within it.
GRAPHQL_DOCUMENT_CACHE_BYTES = env_int("GRAPHQL_DOCUMENT_CACHE_BYTES", 8 * 1024 * 1024)
# Polls a page of `pollsConnection` holds when the client doesn't say, and the
# most it may ask for (BAD_USER_INPUT beyond it).
POLLS_PAGE_SIZE = env_int("POLLS_PAGE_SIZE", 20)
POLLS_PAGE_SIZE_MAX = env_int("POLLS_PAGE_SIZE_MAX", 100)
# Largest request body Django reads (413 beyond it).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 256 * 1024)

GRAPHENE = {
    "SCHEMA": "schema.schema.schema",
    # Our view wraps nothing in a transaction: attempt counters must survive
    # a mutation that answers with an error.
    "ATOMIC_MUTATIONS": False,
    "GRAPHIQL_HEADER_EDITOR_ENABLED": True,
}

# --- Two-factor authentication ---------------------------------------------------

# Which delivery provider sends and checks codes sent to phones (console, twilio,
# vonage), or a comma-separated failover chain. twofa/conf.py maps each name to
# its module in twofa/providers/ and holds every twofa default; a project adds a
# provider with one module and an entry in TWOFA_PROVIDER_CLASSES (name -> class
# path), and a second-factor method with one module in twofa/methods/ and an
# entry in TWOFA_METHOD_CLASSES (key -> class path).
TWOFA_PROVIDER = os.environ.get("TWOFA_PROVIDER", "console")
# Authenticator apps (django-otp's TOTPDevice): 30 s steps, 6 digits, one step
# of tolerance either way; the name apps show next to the account.
OTP_TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Pollstr")
# No drift learning: the accepted window stays exactly one step either side.
OTP_TOTP_SYNC = False
RECOVERY_CODE_COUNT = 10
# Seconds any one call to a provider may take before it counts as unavailable.
TWOFA_PROVIDER_TIMEOUT = env_int("TWOFA_PROVIDER_TIMEOUT", 5)

# Twilio Verify v2 (TWOFA_PROVIDER=twilio).
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_VERIFY_SERVICE_SID = os.environ.get("TWILIO_VERIFY_SERVICE_SID", "")
TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "https://verify.twilio.com")

# Vonage Verify v2 (TWOFA_PROVIDER=vonage).
VONAGE_API_KEY = os.environ.get("VONAGE_API_KEY", "")
VONAGE_API_SECRET = os.environ.get("VONAGE_API_SECRET", "")
VONAGE_BRAND = os.environ.get("VONAGE_BRAND", "Pollstr")
VONAGE_API_HOST = os.environ.get("VONAGE_API_HOST", "api.nexmo.com")
# The console provider logs codes; it is refused with DEBUG off unless this is set.
TWOFA_ALLOW_CONSOLE_PROVIDER = env_bool("TWOFA_ALLOW_CONSOLE_PROVIDER", False)
# Optional file the console provider appends one JSON line per message to.
TWOFA_CONSOLE_OUTBOX = os.environ.get("TWOFA_CONSOLE_OUTBOX", "")
# Seconds a challenge (login or enrollment) stays usable.
TWOFA_CHALLENGE_TTL = env_int("TWOFA_CHALLENGE_TTL", 600)
# Wrong codes allowed per challenge before it is dead.
TWOFA_MAX_ATTEMPTS = env_int("TWOFA_MAX_ATTEMPTS", 5)
# Seconds since the last second-factor check within which step-up actions
# (changing the phone, disabling 2FA) are allowed.
TWOFA_STEP_UP_MAX_AGE = env_int("TWOFA_STEP_UP_MAX_AGE", 600)
# Region for numbers written without a leading "+" (e.g. "US"); empty = "+" required.
TWOFA_DEFAULT_REGION = os.environ.get("TWOFA_DEFAULT_REGION", "").upper() or None
# Which kinds of number each channel sends codes to (phonenumbers' PhoneNumberType
# names; see the README's "Which numbers get codes"). Everything else, notably
# PREMIUM_RATE, SHARED_COST, TOLL_FREE and UNKNOWN, is refused with INVALID_PHONE:
# those ranges are where SMS pumping and toll fraud earn their money.
TWOFA_NUMBER_TYPES = {
    "sms": [
        t.upper() for t in env_list("TWOFA_NUMBER_TYPES_SMS", "MOBILE,FIXED_LINE_OR_MOBILE,VOIP")
    ],
    "call": [
        t.upper()
        for t in env_list("TWOFA_NUMBER_TYPES_CALL", "MOBILE,FIXED_LINE_OR_MOBILE,FIXED_LINE,VOIP")
    ],
}
# Region codes (e.g. "US,CA,GB") whose numbers get codes; empty = every country.
TWOFA_ALLOWED_COUNTRIES = [c.upper() for c in env_list("TWOFA_ALLOWED_COUNTRIES", "")]

# --- Abuse limits ---------------------------------------------------------------
# Counted in the cache (Redis in production), so they hold across processes.
# A limit of 0 turns that limit off.

# Proxies in front of the app that append to X-Forwarded-For. 0: use
# REMOTE_ADDR and ignore X-Forwarded-For, which any client can forge.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Per-client limits count an IPv6 client as its whole network of this many
# bits (one subscriber usually holds a /64); IPv4 addresses count one by one.
CLIENT_IPV6_PREFIX_LENGTH = env_int("CLIENT_IPV6_PREFIX_LENGTH", 64)
# Where gunicorn listens (config/gunicorn.conf.py reads the same variable). On a
# unix socket no client address arrives unless a trusted proxy forwards it.
SERVER_BIND = os.environ.get("BIND", "127.0.0.1:8000")
if TRUSTED_PROXY_COUNT > 0:
    # The trusted proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Codes sent (SMS or calls), per hour: per phone number, per user, per client IP.
# A number has two per-phone budgets of TWOFA_SEND_LIMIT_PER_PHONE: login codes
# to its verified owner, and enrollment codes (which anyone can ask for), so
# strangers can spend only the second.
TWOFA_SEND_LIMIT_PER_PHONE = env_int("TWOFA_SEND_LIMIT_PER_PHONE", 5)
# Enrollment codes one user may ask for per window, whatever the numbers.
TWOFA_ENROLL_SEND_LIMIT_PER_USER = env_int("TWOFA_ENROLL_SEND_LIMIT_PER_USER", 5)
TWOFA_SEND_LIMIT_PER_USER = env_int("TWOFA_SEND_LIMIT_PER_USER", 10)
TWOFA_SEND_LIMIT_PER_IP = env_int("TWOFA_SEND_LIMIT_PER_IP", 20)
TWOFA_SEND_LIMIT_WINDOW = env_int("TWOFA_SEND_LIMIT_WINDOW", 3600)
# Codes sent in all, per window, whoever asks: a ceiling on the bill when a flood
# gets past the per-number, per-user and per-client limits (many accounts, many
# networks). Reaching it is logged at ERROR; until the window turns nobody gets a
# code by SMS or call. 1000 an hour is well above the peak of a service with tens
# of thousands of daily sign-ins; set it from your own peak.
TWOFA_SEND_LIMIT_GLOBAL = env_int("TWOFA_SEND_LIMIT_GLOBAL", 1000)
# Seconds between two sends for one challenge (resendCode).
TWOFA_RESEND_COOLDOWN = env_int("TWOFA_RESEND_COOLDOWN", 30)
# After a challenge dies of too many wrong codes, the user waits this many
# seconds before the next code is sent or checked, doubling with each dead
# challenge in a day, up to TWOFA_BACKOFF_MAX.
TWOFA_BACKOFF_BASE = env_int("TWOFA_BACKOFF_BASE", 60)
TWOFA_BACKOFF_MAX = env_int("TWOFA_BACKOFF_MAX", 3600)
# Retention (`manage.py twofa_prune`, run daily): finished challenges and
# audit events older than these many days are deleted. The daily send rollups
# the staff's view reads are kept.
TWOFA_RETENTION_CHALLENGES_DAYS = env_int("TWOFA_RETENTION_CHALLENGES_DAYS", 30)
TWOFA_RETENTION_AUDIT_DAYS = env_int("TWOFA_RETENTION_AUDIT_DAYS", 365)

# Passkeys (WebAuthn). The RP ID is the domain passkeys are bound to: browsers
# refuse IP addresses, so development uses http://localhost:PORT (what `make run`
# prints), never 127.0.0.1. Origins are the exact scheme://host[:port] pages that
# may use them; with DEBUG on and none set, http://<RP ID>:8000. In production:
# your domain and its https origins (twofa.E020-E023 check them).
WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "localhost")
WEBAUTHN_RP_NAME = os.environ.get("WEBAUTHN_RP_NAME", "Pollstr")
WEBAUTHN_ALLOWED_ORIGINS = env_list("WEBAUTHN_ALLOWED_ORIGINS", "")
# Passwordless sign-in options handed out per client network per LOGIN_FAILURE_WINDOW.
WEBAUTHN_LOGIN_LIMIT_PER_IP = env_int("WEBAUTHN_LOGIN_LIMIT_PER_IP", 60)

# What a login must pass after the right password, in order (accounts.stages):
# twofa's challenge for a user with a phone or an authenticator app. Code, not
# an environment setting: without twofa's stage nobody is asked for a second
# factor (twofa.E010).
ACCOUNTS_LOGIN_STAGES = ["twofa.stages.SecondFactorStage"]

# Failed password logins per window: per username from one client network, per
# client network, and per username from all networks together. The last one is
# much higher than the first, so a stranger's guesses from a few networks can't
# lock the owner out; it bounds a guesser spread over many networks to that
# many guesses per username per window.
LOGIN_FAILURE_LIMIT_PER_USERNAME = env_int("LOGIN_FAILURE_LIMIT_PER_USERNAME", 10)
LOGIN_FAILURE_LIMIT_PER_IP = env_int("LOGIN_FAILURE_LIMIT_PER_IP", 50)
LOGIN_FAILURE_CEILING_PER_USERNAME = env_int("LOGIN_FAILURE_CEILING_PER_USERNAME", 100)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 900)

# Sign-ups per window: attempts per client network (any outcome: an answer can
# say a username is taken), and accounts created in all (a ceiling on password
# hashing and bulk accounts; a flood from many networks can spend it).
REGISTER_LIMIT_PER_IP = env_int("REGISTER_LIMIT_PER_IP", 10)
REGISTER_LIMIT_GLOBAL = env_int("REGISTER_LIMIT_GLOBAL", 1000)
REGISTER_LIMIT_WINDOW = env_int("REGISTER_LIMIT_WINDOW", 3600)

# --- Operations -----------------------------------------------------------------

# The bearer token Prometheus sends to scrape /metrics (Authorization: Bearer
# <token>); empty: /metrics answers 404. At least 32 characters (ops.E001).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# --- Internationalisation and static files -------------------------------------

# Messages to clients and phones are in the request's language: the signed-in
# user's `language` if set, else the best match of Accept-Language among
# LANGUAGES, else LANGUAGE_CODE (core/i18n.py; the README's Languages section).
# Adding a language: a line here, then `make messages` and the translations.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE") or "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# `collectstatic` (make serve) also writes gzip and brotli copies for whitenoise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# whitenoise serves static files in every mode. GraphiQL's and React's files
# come from npm (web/package.json) into web/static/vendor/ (`make vendor`);
# nothing is loaded from a CDN. Without collectstatic, files are found in place.
# `make serve` collects them first and turns this off (served compressed, from STATIC_ROOT).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
# ... so a missing STATIC_ROOT (no collectstatic yet) is not worth a warning.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

# --- Browser clients ----------------------------------------------------------
# Origins of single-page apps allowed to call /graphql from a browser (CORS),
# e.g. "https://app.example.com,http://localhost:5173". Empty: same origin only.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "")
CORS_URLS_REGEX = r"^/graphql$"
# Request headers a browser may send cross-origin (replaces the list: keep
# content-type and authorization). The defaults add Apollo Client's
# client-awareness headers and the W3C and Sentry tracing headers, which the
# browser would otherwise block at the preflight.
CORS_ALLOW_HEADERS = [
    name.lower()
    for name in env_list(
        "CORS_ALLOW_HEADERS",
        "accept,authorization,content-type,user-agent,x-requested-with,"
        "apollographql-client-name,apollographql-client-version,"
        "traceparent,tracestate,baggage,sentry-trace",
    )
]
# Response headers a cross-origin page may read: the request id (ops.middleware).
CORS_EXPOSE_HEADERS = ["x-request-id"]
# What /graphql answers: advertising more (DELETE, PUT, PATCH) only earns a 405.
CORS_ALLOW_METHODS = ["GET", "OPTIONS", "POST"]
# Seconds a browser may reuse a preflight (browsers cap it: Chromium at 7200).
CORS_PREFLIGHT_MAX_AGE = env_int("CORS_PREFLIGHT_MAX_AGE", 3600)
# The Content-Security-Policy of the pages this server renders (the app,
# GraphiQL, the admin): everything from this origin, nothing inline, nothing from a CDN.
# GraphiQL's stylesheet embeds its fonts as data: URLs, hence font-src.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; font-src 'self' data:; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
# Automatic persisted queries: how long a stored document lives in the cache.
GRAPHQL_APQ_TTL = env_int("GRAPHQL_APQ_TTL", 24 * 3600)
# New persisted queries one client network may store per window; over it the
# query runs but is not kept. Bounds one client to this many documents (each at
# most GRAPHQL_MAX_DOCUMENT_LENGTH characters) per window.
GRAPHQL_APQ_LIMIT_PER_IP = env_int("GRAPHQL_APQ_LIMIT_PER_IP", 100)
GRAPHQL_APQ_LIMIT_WINDOW = env_int("GRAPHQL_APQ_LIMIT_WINDOW", 3600)
# Where persisted queries are stored: never the Redis of the rate limits, so a
# flood of registrations can't evict (allkeys-lru) or block (noeviction) a
# counter. A Redis URL (ideally its own instance, with maxmemory and
# allkeys-lru); empty: each process's memory (bounded; a client behind a load
# balancer then registers a document once per process, which Apollo's link does
# by itself).
GRAPHQL_APQ_REDIS_URL = os.environ.get("GRAPHQL_APQ_REDIS_URL", "")
if GRAPHQL_APQ_REDIS_URL:
    CACHES["persisted_queries"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": GRAPHQL_APQ_REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "pollstr"),
    }
else:
    CACHES["persisted_queries"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "persisted-queries",
        # At most 1,000 documents of at most 20,000 characters per process.
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }

# --- Logging ------------------------------------------------------------------

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
# "json" (one JSON object a line) or "plain" (human lines); JSON unless DEBUG.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json").lower()
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, got {LOG_FORMAT!r}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # The request id, user id and GraphQL operation of the request (core.logs).
        "request_context": {"()": "core.logs.RequestContextFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s "
            "op=%(operation)s] %(message)s"
        },
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"level": "INFO"},
        "core": {"level": LOG_LEVEL},
        "ops": {"level": LOG_LEVEL},
        "twofa": {"level": LOG_LEVEL},
        "accounts": {"level": LOG_LEVEL},
        "schema": {"level": LOG_LEVEL},
        # The SDKs log requests at DEBUG/INFO (Vonage: bodies with the code, and
        # headers with the credentials): never let them. We log failures ourselves.
        "twilio": {"level": "WARNING"},
        "vonage": {"level": "ERROR"},
    },
}
