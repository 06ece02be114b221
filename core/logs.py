"""What every log line says about the request it belongs to, and how it is written.

A request's id, its caller's user id and its GraphQL operation's name live in
context variables for the request's duration (set by ops.middleware and the
GraphQL view); RequestContextFilter copies them onto every record, whichever
logger wrote it. JsonFormatter writes one JSON object a line (production);
config/settings.py picks the human format under DEBUG.

A request id comes from X-Request-ID only when the request came through a
trusted proxy (TRUSTED_PROXY_COUNT), and only if it is short and plain
(REQUEST_ID_PATTERN): a client's header must not forge or break log lines.
"""

import json
import logging
import re
import secrets
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and - _ . : / + = (UUIDs, ULIDs, W3C trace ids, AWS's
# "Root=1-..."-style ids), at most 128 characters.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)
operation_var: ContextVar[str | None] = ContextVar("operation", default=None)

# The record attributes that are the logging module's own, not a caller's `extra`.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "user_id",
    "operation",
}


def request_id_new() -> str:
    return secrets.token_hex(16)


def request_id_accept(value: str | None) -> str | None:
    """`value` if it is acceptable as a request id, else None."""
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return None


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and operation ("-" outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        user_id = user_id_var.get()
        record.user_id = "-" if user_id is None else user_id
        record.operation = operation_var.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's
    context, any `extra` fields the caller gave, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
            "operation": getattr(record, "operation", "-"),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
