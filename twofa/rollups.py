"""The daily send rollups, counted as sends, verifications and refusals happen.

One INSERT ... ON CONFLICT DO UPDATE SET n = n + 1 per table per event
(PostgreSQL and SQLite both have it), so they cost the send path one query a
table, race with nothing, and need no job to keep them current. They are
never pruned: staff's view of sends and fraud (staff.sends) reads them after
retention has deleted the challenges and audit events they were counted from.
"""

import phonenumbers
from django.db import connection
from django.utils import timezone

from core.http import client_network
from twofa.models import Challenge, RefusalRollup, SendRollup, SendSourceRollup

# Digits of the E.164 number a source rollup keeps: the country code and the
# start of the national number (an area or a mobile range), never a number.
PREFIX_DIGITS = 6
UNKNOWN_COUNTRY = "ZZ"


def number_prefix(number: str) -> str:
    """ "+14155552671" -> "+141555"."""
    return "+" + number.lstrip("+")[:PREFIX_DIGITS]


def number_country(number: str) -> str:
    """The ISO region of an E.164 number; ZZ when it has none."""
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return UNKNOWN_COUNTRY
    return region or UNKNOWN_COUNTRY


def _bump(model, key: dict, **counts: int) -> None:
    """Add `counts` to the row of `key`, creating it if it is the first: one upsert."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    counters = [f.column for f in model._meta.fields if f.name in _COUNTERS]
    columns = [*key, *counters]
    values = [*key.values(), *(counts.get(c, 0) for c in counters)]
    adds = ", ".join(f"{quote(c)} = {table}.{quote(c)} + EXCLUDED.{quote(c)}" for c in counts)
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(values))}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in key)}) DO UPDATE SET {adds}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


_COUNTERS = frozenset({"sent", "verified", "failed", "refused"})


def _today():
    return timezone.now().date()


def send_counted(*, number: str, provider: str, channel: str, ip: str) -> None:
    """A provider took a code for `number`."""
    day = _today()
    key = {"day": day, "country": number_country(number), "provider": provider}
    _bump(SendRollup, {**key, "channel": channel}, sent=1)
    network = client_network(ip)
    _bump(
        SendSourceRollup, {"day": day, "prefix": number_prefix(number), "network": network}, sent=1
    )


def send_failure_counted(*, number: str, provider: str, channel: str) -> None:
    """A provider refused a code for `number`, or could not be reached."""
    key = {"day": _today(), "country": number_country(number), "provider": provider}
    _bump(SendRollup, {**key, "channel": channel}, failed=1)


def verification_counted(challenge: Challenge) -> None:
    """A code sent to a phone was verified: counted on the day of that send,
    against the network that asked for it."""
    sent_at = challenge.last_sent_at or timezone.now()
    day = sent_at.date()
    number = challenge.phone_number
    key = {"day": day, "country": number_country(number), "provider": challenge.provider}
    _bump(SendRollup, {**key, "channel": challenge.channel}, verified=1)
    source = {"day": day, "prefix": number_prefix(number), "network": challenge.sent_from}
    _bump(SendSourceRollup, source, verified=1)


def refusal_counted(limit: str) -> None:
    """A rate limit refused a 2FA request (`limit`: which one, e.g. "send")."""
    _bump(RefusalRollup, {"day": _today(), "limit": limit}, refused=1)
