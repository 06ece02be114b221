"""The Prometheus metrics every process counts, and the one way to read them.

Defined once here, counted at the seams (the audit trail, the send path, challenges, the
limits, the GraphQL view, the request middleware) and served by ops.views at
/metrics. Every label takes a bounded set of values: names from our code and
settings (providers, channels, methods, limit groups, views, error codes),
ISO region codes, status classes. Never a phone number or prefix, an address,
a user id or a string a client chose.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR (set by config/gunicorn.conf.py
before any worker imports this) makes every worker write its values to files
there, and a scrape sums them over the workers, dead ones included, so a
counter never goes back when a worker is replaced. Without it (runserver,
tests) the values live in this process's default registry.
"""

import os

import phonenumbers
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _multiprocess

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

CODES_SENT = Counter(
    "twofa_codes_sent",
    "Codes handed to a provider (one per provider attempt), by outcome: sent or failed.",
    ["provider", "channel", "country", "outcome"],
)
VERIFICATIONS = Counter(
    "twofa_verifications",
    "Codes checked, by the method answered with and the outcome: verified or wrong.",
    ["method", "outcome"],
)
CHALLENGES = Counter(
    "twofa_challenges",
    "Challenges by lifecycle event: started, verified, expired (answered too late) or locked.",
    ["purpose", "event"],
)
FAILOVERS = Counter(
    "twofa_provider_failovers",
    "Sends moved on to the next provider of the chain because one was unavailable.",
    ["from_provider", "to_provider"],
)
PROVIDER_LATENCY = Histogram(
    "twofa_provider_request_seconds",
    "Time a call to a delivery provider took, failures included.",
    ["provider", "operation"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10),
)
PROVIDER_UP = Gauge(
    "twofa_provider_up",
    "1 if the provider's latest call (in any worker) answered, 0 if it was unavailable.",
    ["provider"],
    multiprocess_mode="mostrecent",
)
RATE_LIMITED = Counter(
    "pollstr_rate_limit_refusals",
    "Requests refused by a limit, by the limit's name.",
    ["limit"],
)
GRAPHQL_OPERATIONS = Counter(
    "pollstr_graphql_operations",
    "GraphQL operations run, by type, first root field and outcome "
    "(ok, or the first error's extensions.code).",
    ["operation_type", "field", "outcome"],
)
HTTP_REQUESTS = Counter(
    "pollstr_http_requests",
    "HTTP requests answered, by view and status class (2xx, 3xx, 4xx, 5xx).",
    ["view", "status"],
)
HTTP_LATENCY = Histogram(
    "pollstr_http_request_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
)

# The country label of a number that names none (or can't be parsed).
UNKNOWN_COUNTRY = "ZZ"


def country_of(number: str) -> str:
    """The ISO region of an E.164 number, for a label: never a prefix."""
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return UNKNOWN_COUNTRY
    return region if region and region != "001" else UNKNOWN_COUNTRY


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def exposition() -> bytes:
    """Every metric in the text format: summed over the workers when multiprocess."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
