"""Rows 6 and 7 of `make bench`, on the PostgreSQL data sets (bench/dataset.py).

6. A page of 20 polls (counts and myVote) in-process, at 10k and at 1M votes:
   p50 latency, and whether the cost stays flat as votes grow.
7. /graphql side by side with the DRF + simplejwt peer (bench/peer/), both
   served by one `make serve` (same gunicorn settings, same data, same
   selectors and vote statement): me, a page of polls, vote on one popular
   poll, and password login with a hash that costs nothing. Rounds alternate
   the stacks; CPU per request is read from the server processes in /proc.

Each runs in a child process whose DATABASE_URL is the data set's database.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-pass-phrase-0123"
PHONE = "+14155552671"
READER = "load0"  # a data-set voter: it voted on every poll, so myVote is never null

PAGE = (
    "{ pollsConnection(first: 20) { pageInfo { hasNextPage endCursor } edges { node "
    "{ id question publishedAt totalVotes myVote { id } choices { id text votes } } } } }"
)
VOTE = (
    "mutation($c: ID!) { vote(choiceId: $c) { poll { id question publishedAt totalVotes "
    "myVote { id } choices { id text votes } } } }"
)
LOGIN = (
    "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
    "{ twoFactorRequired token refreshToken } }"
)


def in_child(mode: str, database_url: str, quick: bool) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "BENCH_FREE_HASH": "1",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    }
    args = [sys.executable, "-m", "bench.stack", mode] + (["--quick"] if quick else [])
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        return {"skipped": f"{mode} failed: " + (result.stderr or result.stdout)[-1500:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def _our_token(user, *, second_factor: bool) -> str:
    from django.utils import timezone

    from accounts.tokens import token_pair_issue

    amr = ["pwd", "sms"] if second_factor else ["pwd"]
    return token_pair_issue(user, amr=amr, auth_time=timezone.now()).token


def _peer_token(user) -> str:
    from rest_framework_simplejwt.tokens import RefreshToken

    return str(RefreshToken.for_user(user).access_token)


def row_page(repeats: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from polls.models import Vote

    token = _our_token(User.objects.get(username=READER), second_factor=False)
    client = Client()
    body = json.dumps({"query": PAGE})
    headers = {"Authorization": f"Bearer {token}"}

    def fetch():
        response = client.post(
            "/graphql", data=body, content_type="application/json", headers=headers
        )
        return json.loads(response.content)["data"]["pollsConnection"]

    for _ in range(20):
        page = fetch()
    assert len(page["edges"]) == 20 and all(e["node"]["myVote"] for e in page["edges"])
    with CaptureQueriesContext(connection) as captured:
        fetch()
    queries = len(captured.captured_queries)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "votes": Vote.objects.count(),
        "queries": queries,
        "p50_ms": statistics.median(times),
        "p99_ms": sorted(times)[min(len(times) - 1, int(len(times) * 0.99))],
    }


def _server_cpu_seconds(session: int) -> float:
    """User + system CPU of every process in the server's session (gunicorn's)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields[0] is the state: session is field 6
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def row_peer(rounds: int, per_round: int, concurrency: int) -> dict:
    import requests
    from django.conf import settings
    from django.contrib.auth.hashers import identify_hasher
    from django.utils import timezone

    from accounts.models import User
    from bench.run import _free_port, _served
    from polls.models import Poll, Vote
    from twofa.models import PhoneNumber

    popular = Poll.objects.order_by("-published_at", "-id").first()
    choices = list(popular.choices.order_by("id").values_list("pk", flat=True))
    voters = []
    for n in range(concurrency * 2):
        user, _ = User.objects.get_or_create(username=f"peer{n}")
        user.set_password(PASSWORD)
        user.save()
        PhoneNumber.objects.get_or_create(
            user=user, defaults={"number": PHONE, "verified_at": timezone.now()}
        )
        voters.append(user)
    login_user, _ = User.objects.get_or_create(username="peer_login")
    login_user.set_password(PASSWORD)
    login_user.save()
    hasher = identify_hasher(login_user.password).algorithm
    reader = User.objects.get(username=READER)
    ours = {u.pk: _our_token(u, second_factor=True) for u in voters}
    peers = {u.pk: _peer_token(u) for u in voters}
    reader_ours, reader_peer = _our_token(reader, second_factor=False), _peer_token(reader)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "BIND": f"127.0.0.1:{port}",
        "SECRET_KEY": settings.SECRET_KEY,
        "STATIC_ROOT": str(Path(tempfile.mkdtemp()) / "static"),
    }

    def graphql(query, variables=None, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return "POST", "/graphql", {"query": query, "variables": variables or {}}, headers

    def request_for(stack: str, endpoint: str, thread: int, step: int):
        user = voters[(thread + step * concurrency) % len(voters)]
        choice = choices[(thread + step) % len(choices)]
        if stack == "graphql":
            return {
                "me": lambda: graphql("{ me { username } }", token=ours[user.pk]),
                "polls": lambda: graphql(PAGE, token=reader_ours),
                "vote": lambda: graphql(VOTE, {"c": str(choice)}, ours[user.pk]),
                "login": lambda: graphql(LOGIN, {"u": "peer_login", "p": PASSWORD}),
            }[endpoint]()
        auth = {"Authorization": f"Bearer {peers[user.pk]}"}
        return {
            "me": ("GET", "/drf/me", None, auth),
            "polls": ("GET", "/drf/polls", None, {"Authorization": f"Bearer {reader_peer}"}),
            "vote": ("POST", "/drf/vote", {"choice_id": choice}, auth),
            "login": ("POST", "/drf/login", {"username": "peer_login", "password": PASSWORD}, {}),
        }[endpoint]

    def one_round(stack: str, endpoint: str, session: int) -> dict:
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def worker(thread: int) -> None:
            http = requests.Session()
            for step in range(per_round // concurrency):
                method, path, body, headers = request_for(stack, endpoint, thread, step)
                started = time.perf_counter()
                response = http.request(method, base + path, json=body, headers=headers, timeout=30)
                elapsed = (time.perf_counter() - started) * 1000
                ok = response.ok and "errors" not in response.json()
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        failures.append(response.text[:200])

        cpu0, started = _server_cpu_seconds(session), time.perf_counter()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall, cpu = time.perf_counter() - started, _server_cpu_seconds(session) - cpu0
        if failures:
            raise RuntimeError(f"{stack} {endpoint}: {failures[0]}")
        return {
            "cpu_ms": cpu * 1000 / len(latencies),
            "rps": len(latencies) / wall,
            "lat": latencies,
        }

    endpoints = ("me", "polls", "vote", "login")
    runs = {(s, e): [] for s in ("graphql", "drf") for e in endpoints}
    with _served(env, port) as process:
        session = os.getsid(process.pid)
        for stack in ("graphql", "drf"):  # warm both up
            for endpoint in endpoints:
                one_round(stack, endpoint, session)
        for round_ in range(rounds):
            for endpoint in endpoints:
                order = ("graphql", "drf") if round_ % 2 == 0 else ("drf", "graphql")
                for stack in order:
                    runs[(stack, endpoint)].append(one_round(stack, endpoint, session))
    popular.refresh_from_db()
    result = {
        "hasher": hasher,
        "rounds": rounds,
        "per_round": per_round,
        "concurrency": concurrency,
        "votes": Vote.objects.count(),
        # The hot counter row after every vote round: no vote lost or doubled.
        "counts_match": popular.vote_count == Vote.objects.filter(poll=popular).count()
        and all(
            c.vote_count == Vote.objects.filter(choice=c).count() for c in popular.choices.all()
        ),
    }
    for endpoint in endpoints:
        for stack in ("graphql", "drf"):
            samples = runs[(stack, endpoint)]
            lat = sorted(x for s in samples for x in s["lat"])
            result[f"{endpoint}_{stack}"] = {
                "cpu_ms": statistics.median(s["cpu_ms"] for s in samples),
                "rps": statistics.median(s["rps"] for s in samples),
                "p50_ms": lat[len(lat) // 2],
                "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
            }
    return result


def main() -> int:
    mode = sys.argv[1]
    quick = "--quick" in sys.argv
    import django

    django.setup()
    if mode == "page":
        result = row_page(repeats=20 if quick else 200)
    else:
        result = row_peer(rounds=2 if quick else 6, per_round=40 if quick else 400, concurrency=4)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def rows_run(quick: bool) -> tuple[list[dict], dict]:
    """Row 6 on each data set (10k votes; 1M unless quick), row 7 on the largest."""
    from bench.dataset import dataset_ensure

    sizes = [10_000] if quick else [10_000, 1_000_000]
    pages = []
    try:
        urls = {size: dataset_ensure(size) for size in sizes}
    except Exception as exc:  # noqa: BLE001 - report, don't crash the other rows
        skipped = {"skipped": f"no PostgreSQL data set ({type(exc).__name__}: {exc})"}
        return [skipped], skipped
    for size in sizes:
        pages.append(in_child("page", urls[size], quick))
    peer = in_child("peer", urls[sizes[-1]], quick)
    return pages, peer


def report_lines(pages: list[dict], peer: dict, verdict) -> list[str]:
    lines = [
        "## 6. A page of 20 polls (counts, myVote) at 10k and 1M votes, PostgreSQL",
        "",
        "`pollsConnection(first: 20)` with every poll field, choices and `myVote`, for a "
        "signed-in reader who voted on every poll; in-process (Django's test client) on the "
        "data sets of `bench/dataset.py` (200 polls × 3 choices).",
        "",
    ]
    measured = [p for p in pages if "skipped" not in p]
    if not measured:
        lines += [f"Not measured: {pages[0]['skipped']}", ""]
    else:
        lines += [
            "| votes | SQL queries | p50 (ms) | p99 (ms) |",
            "|---:|---:|---:|---:|",
            *(
                f"| {p['votes']:,} | {p['queries']} | {p['p50_ms']:.1f} | {p['p99_ms']:.1f} |"
                for p in measured
            ),
            "",
            f"Target: p50 under 10 ms: {verdict(all(p['p50_ms'] < 10 for p in measured))}.",
        ]
        if len(measured) > 1:
            ratio = measured[-1]["p50_ms"] / measured[0]["p50_ms"]
            lines.append(
                f"Target: flat from 10k to 1M votes (ratio ≤ 1.2): {verdict(ratio <= 1.2)} "
                f"({ratio:.2f})."
            )
        else:
            lines.append("The 1M-vote data set is not built in quick mode.")
        lines.append("")
    lines += [
        "## 7. /graphql side by side with Django REST framework + simplejwt",
        "",
    ]
    if "skipped" in peer:
        return [*lines, f"Not measured: {peer['skipped']}", ""]
    lines += [
        f"One `make serve` (gunicorn, DEBUG off, PostgreSQL, Redis) on the {peer['votes']:,}-vote "
        "data set serves both stacks: /graphql and the peer in `bench/peer/` (APIView and "
        "generic views with serializers, simplejwt's `JWTAuthentication`, `CursorPagination` "
        "of 20, the same selectors and vote statement). Rounds alternate the stacks, "
        f"{peer['rounds']} rounds of {peer['per_round']} requests per endpoint from "
        f"{peer['concurrency']} client threads. CPU per request is the server processes' user "
        f"+ system time (/proc) over the round. Login hashes with {peer['hasher']} (free) on "
        "both sides; ours is `tokenAuth` for a user without a second factor. `vote` moves "
        "votes on one popular poll (its counter row is the hot spot).",
        "",
        "| endpoint | stack | CPU ms/request | requests/s | p50 (ms) | p99 (ms) | CPU ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for endpoint in ("me", "polls", "vote", "login"):
        ours, theirs = peer[f"{endpoint}_graphql"], peer[f"{endpoint}_drf"]
        ratio = ours["cpu_ms"] / theirs["cpu_ms"]
        verdicts.append(f"{endpoint} {verdict(ratio <= 1.0)} ({ratio:.2f}×)")
        for name, row, shown in (("/graphql", ours, f"{ratio:.2f}"), ("DRF", theirs, "1.00")):
            lines.append(
                f"| {endpoint} | {name} | {row['cpu_ms']:.2f} | {row['rps']:.0f} | "
                f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {shown} |"
            )
    lines += [
        "",
        "Target: at most 1.0× the peer's CPU per request on each endpoint: "
        + "; ".join(verdicts)
        + ".",
        "",
        "After the vote rounds the popular poll's stored counts equal its vote rows: "
        + ("no vote lost or doubled." if peer["counts_match"] else "**MISMATCH**."),
        "",
    ]
    return lines
