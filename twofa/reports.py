"""Reads of the daily send rollups for staff's view of sends and fraud (staff.sends).

Every read is a GROUP BY over at most a month of rollup rows: the size of the
answer is bounded by the days, countries, providers, prefixes and networks
seen, never by how many codes were sent.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Sum
from django.utils import timezone

from twofa.models import RefusalRollup, SendRollup, SendSourceRollup

TOP_SOURCES = 10


@dataclass(frozen=True)
class SendCounts:
    sent: int
    verified: int
    failed: int

    @property
    def conversion(self) -> float | None:
        """Verified codes per code sent, 0..1; None when nothing was sent."""
        return self.verified / self.sent if self.sent else None


@dataclass(frozen=True)
class SendRow(SendCounts):
    day: date
    country: str
    provider: str


@dataclass(frozen=True)
class DayCounts(SendCounts):
    day: date


@dataclass(frozen=True)
class Source:
    key: str  # a number prefix or a client network
    sent: int
    verified: int

    @property
    def unverified(self) -> int:
        return max(0, self.sent - self.verified)


def report_since(days: int) -> date:
    """The first day (UTC) of a report of the last `days` days, today included."""
    return timezone.now().date() - timedelta(days=days - 1)


def _counts(rows, *order: str):
    return rows.annotate(
        n_sent=Sum("sent"), n_verified=Sum("verified"), n_failed=Sum("failed")
    ).order_by(*order)


def sends_by_day_country_provider(since: date) -> list[SendRow]:
    """Sent, verified and failed per day, country and provider (channels added up)."""
    keys = ("day", "country", "provider")
    rows = _counts(SendRollup.objects.filter(day__gte=since).values(*keys), "-day", "country")
    return [
        SendRow(
            day=r["day"],
            country=r["country"],
            provider=r["provider"],
            sent=r["n_sent"],
            verified=r["n_verified"],
            failed=r["n_failed"],
        )
        for r in rows
    ]


def sends_by_day(since: date) -> list[DayCounts]:
    """Sent, verified and failed per day, every day from `since` to today (zeros included)."""
    found = {
        r["day"]: r for r in _counts(SendRollup.objects.filter(day__gte=since).values("day"), "day")
    }
    today = timezone.now().date()
    days = [since + timedelta(days=n) for n in range((today - since).days + 1)]
    return [
        DayCounts(
            day=day,
            sent=found.get(day, {}).get("n_sent", 0),
            verified=found.get(day, {}).get("n_verified", 0),
            failed=found.get(day, {}).get("n_failed", 0),
        )
        for day in days
    ]


def _top_unverified(since: date, field: str) -> list[Source]:
    rows = (
        SendSourceRollup.objects.filter(day__gte=since)
        .values(field)
        .annotate(n_sent=Sum("sent"), n_verified=Sum("verified"))
        .annotate(unverified=F("n_sent") - F("n_verified"))
        .filter(unverified__gt=0)
        .order_by("-unverified", field)[:TOP_SOURCES]
    )
    return [Source(key=r[field], sent=r["n_sent"], verified=r["n_verified"]) for r in rows]


def top_unverified_prefixes(since: date) -> list[Source]:
    """The number prefixes with the most sends never verified (SMS pumping's mark)."""
    return _top_unverified(since, "prefix")


def top_unverified_networks(since: date) -> list[Source]:
    """The client networks that asked for the most sends never verified."""
    return _top_unverified(since, "network")


def refusals_by_limit(since: date) -> list[tuple[str, int]]:
    """Rate-limit refusals per limit, most first."""
    rows = (
        RefusalRollup.objects.filter(day__gte=since)
        .values("limit")
        .annotate(n=Sum("refused"))
        .order_by("-n", "limit")
    )
    return [(r["limit"], r["n"]) for r in rows]
