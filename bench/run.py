"""The benchmark harness: `make bench` writes docs/benchmarks.md.

Rows, each the median of repeated runs, measured side by side in one run so
that ratios hold on a noisy machine:
1. `{ me { username } }` through /graphql vs a plain Django view doing the same
   JWT check and user lookup (bench/views.py), with and without the document
   cache. In-process (Django's test client), like a WSGI worker minus sockets.
2. `polls` with 10 / 100 / 1000 polls: SQL queries and latency per request.
3. `vote` under concurrent load against `make serve` on PostgreSQL and Redis:
   requests/s, p50 and p99, then the check that no vote was lost or doubled.
4. The full 2FA login (tokenAuth, then verifyToken with the console
   provider's code): the password hash vs everything else.
5. Validating the worst documents refused and accepted by the limits
   (bench/documents.py).
6. A page of 20 polls at 10k and 1M votes, and 7. /graphql side by side with
   a DRF + simplejwt peer under gunicorn (bench/stack.py, on the PostgreSQL
   data sets of bench/dataset.py; the 1M one is built once, never in --quick).

PostgreSQL: BENCH_PG_ADMIN_URL (host, port, an existing database to connect
to), BENCH_PG_DB (the prefix of the bench's own databases, default
pollstr_bench); Redis: BENCH_REDIS_URL.

Targets that are missed are reported as missed, with the figure. Nothing here
is a test: throughput is never asserted (tests/ asserts query counts).

    python -m bench.run [--quick] [--out docs/benchmarks.md]
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench.documents import report_lines as documents_report_lines
from bench.documents import row_documents
from bench.stack import report_lines as stack_report_lines
from bench.stack import rows_run as stack_rows_run

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "pollstr_bench")
REDIS_BENCH_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "bench-pass-phrase-0123"
PHONE = "+14155552671"


# --- In-process part (rows 1, 2, 4) ---------------------------------------------------


def django_setup(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["TWOFA_CONSOLE_OUTBOX"] = str(workdir / "outbox.jsonl")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _verified_token(username: str) -> str:
    from django.utils import timezone

    from accounts.models import User
    from accounts.tokens import token_pair_issue
    from twofa.models import PhoneNumber

    user = User.objects.create_user(username=username, password=PASSWORD)
    PhoneNumber.objects.create(user=user, number=PHONE, verified_at=timezone.now())
    return token_pair_issue(user, amr=["pwd", "sms"], auth_time=timezone.now()).token


def _rate(client, path: str, body: str, token: str, n: int) -> float:
    """Requests per second for n identical POSTs; every answer is checked."""
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    for _ in range(n):
        response = client.post(path, data=body, content_type="application/json", headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:200]}")
    return n / (time.perf_counter() - started)


def row_me(rounds: int, n: int) -> dict:
    from django.test import Client, override_settings

    token = _verified_token("bench_me")
    client = Client()
    query = json.dumps({"query": "{ me { username } }"})
    expected = {"data": {"me": {"username": "bench_me"}}}
    for path in ("/graphql", "/bench/me"):  # the same answer from both
        answer = client.post(
            path, data=query, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert json.loads(answer.content) == expected, answer.content
    _rate(client, "/graphql", query, token, 50)  # warm up
    _rate(client, "/bench/me", query, token, 50)
    runs = {"graphql": [], "graphql_nocache": [], "plain": []}
    for round_ in range(rounds):
        order = ["graphql", "graphql_nocache", "plain"]
        order = order[round_ % 3 :] + order[: round_ % 3]  # rotate, so no variant always goes first
        for variant in order:
            if variant == "plain":
                runs[variant].append(_rate(client, "/bench/me", query, token, n))
            elif variant == "graphql":
                runs[variant].append(_rate(client, "/graphql", query, token, n))
            else:
                with override_settings(GRAPHQL_DOCUMENT_CACHE_SIZE=0):
                    runs[variant].append(_rate(client, "/graphql", query, token, n))
    ratios = [g / p for g, p in zip(runs["graphql"], runs["plain"], strict=True)]
    ratios_nocache = [g / p for g, p in zip(runs["graphql_nocache"], runs["plain"], strict=True)]
    return {
        "rounds": rounds,
        "requests_per_round": n,
        "graphql_rps": statistics.median(runs["graphql"]),
        "graphql_nocache_rps": statistics.median(runs["graphql_nocache"]),
        "plain_rps": statistics.median(runs["plain"]),
        "ratio": statistics.median(ratios),
        "ratio_nocache": statistics.median(ratios_nocache),
    }


def row_polls(sizes: list[int], repeats: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from polls.models import Choice, Poll, Vote

    token = _verified_token("bench_polls")
    voter = User.objects.get(username="bench_polls")
    client = Client()
    query = json.dumps(
        {"query": "{ polls { id question totalVotes myVote { id } choices { id text votes } } }"}
    )
    headers = {"Authorization": f"Bearer {token}"}
    results = []
    for size in sizes:
        Vote.objects.all().delete()
        Poll.objects.all().delete()
        polls = Poll.objects.bulk_create(Poll(question=f"Question {i}?") for i in range(size))
        choices = Choice.objects.bulk_create(
            Choice(poll=p, text=t) for p in polls for t in ("Yes", "No", "Maybe")
        )
        Vote.objects.bulk_create(
            Vote(user=voter, poll=p, choice=choices[3 * i]) for i, p in enumerate(polls)
        )
        client.post("/graphql", data=query, content_type="application/json", headers=headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/graphql", data=query, content_type="application/json", headers=headers
            )
        # Counted now: the next request's request_started signal clears Django's query log.
        queries = len(captured.captured_queries)
        assert len(json.loads(response.content)["data"]["polls"]) == size
        latencies = []
        for _ in range(repeats):
            started = time.perf_counter()
            client.post("/graphql", data=query, content_type="application/json", headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
        results.append(
            {
                "polls": size,
                "queries": queries,
                "latency_ms": statistics.median(latencies),
            }
        )
    return results


def _logins(username: str, repeats: int) -> list[tuple[float, float]]:
    """(tokenAuth ms, verifyToken ms) for `repeats` full 2FA logins, after a warm-up."""
    from django.test import Client

    outbox = Path(os.environ["TWOFA_CONSOLE_OUTBOX"])
    client = Client()
    token_auth = json.dumps(
        {
            "query": "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
            "{ twoFactorRequired challenge } }",
            "variables": {"u": username, "p": PASSWORD},
        }
    )
    verify = (
        "mutation($ch: String!, $c: String!) { verifyToken(challenge: $ch, code: $c) { token } }"
    )
    timings = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        answer = client.post("/graphql", data=token_auth, content_type="application/json")
        t1 = time.perf_counter()
        challenge = json.loads(answer.content)["data"]["tokenAuth"]["challenge"]
        code = json.loads(outbox.read_text().splitlines()[-1])["code"]
        body = json.dumps({"query": verify, "variables": {"ch": challenge, "c": code}})
        answer = client.post("/graphql", data=body, content_type="application/json")
        t2 = time.perf_counter()
        assert json.loads(answer.content)["data"]["verifyToken"]["token"]
        timings.append(((t1 - t0) * 1000, (t2 - t1) * 1000))
    return timings[1:]


def row_login(repeats: int) -> dict:
    """The login with Argon2id as deployed, and the same login with a hash that
    costs nothing: the second measures "everything but the hash" directly,
    instead of subtracting two noisy ~100 ms figures."""
    from django.contrib.auth.hashers import check_password, identify_hasher
    from django.test import override_settings
    from django.utils import timezone

    from accounts.models import User
    from twofa.models import PhoneNumber

    free = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = {}
    for name, hashers in (("bench_login", None), ("bench_login_nohash", free)):
        with override_settings(**({"PASSWORD_HASHERS": hashers} if hashers else {})):
            users[name] = User.objects.create_user(username=name, password=PASSWORD)
        PhoneNumber.objects.create(user=users[name], number=PHONE, verified_at=timezone.now())
    full = _logins("bench_login", repeats)
    with override_settings(PASSWORD_HASHERS=free):
        rest = _logins("bench_login_nohash", repeats)
    stored = User.objects.get(username="bench_login").password
    hashes = []
    for _ in range(repeats):
        h0 = time.perf_counter()
        assert check_password(PASSWORD, stored)
        hashes.append((time.perf_counter() - h0) * 1000)
    return {
        "repeats": repeats,
        "hasher": identify_hasher(stored).algorithm,
        "total_ms": statistics.median(a + b for a, b in full),
        "token_auth_ms": statistics.median(a for a, _ in full),
        "verify_token_ms": statistics.median(b for _, b in full),
        "hash_ms": statistics.median(hashes),
        "rest_ms": statistics.median(a + b for a, b in rest),
    }


# --- Vote under load against `make serve` on PostgreSQL (row 3) ------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pg_recreate() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')


@contextmanager
def _served(env: dict, port: int):
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import requests

    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode()[-3000:])
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("make serve did not come up")
            time.sleep(0.3)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def row_vote(requests_total: int, concurrency: int, users: int) -> dict:
    """Runs in a child process (`--vote-load`): Django set up on the bench database."""
    import requests
    from django.core.management import call_command

    from polls.models import Choice, Poll, Vote

    call_command("migrate", verbosity=0)
    poll = Poll.objects.create(question="Which load generator?")
    choices = [Choice.objects.create(poll=poll, text=t) for t in ("wrk", "ab", "locust")]
    tokens = [_verified_token(f"voter{i}") for i in range(users)]

    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG")},
        "BIND": f"127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "TWOFA_ALLOW_CONSOLE_PROVIDER": "1",
        "STATIC_ROOT": str(Path(tempfile.mkdtemp()) / "static"),
    }
    from django.conf import settings

    env["SECRET_KEY"] = settings.SECRET_KEY  # the voters' tokens were signed with it
    url = f"http://127.0.0.1:{port}/graphql"
    mutation = "mutation($c: ID!) { vote(choiceId: $c) { poll { totalVotes } } }"
    last_choice: dict[int, int] = {}
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_thread = requests_total // concurrency

    def worker(index: int) -> None:
        session = requests.Session()
        mine = list(range(index, users, concurrency))  # each user belongs to one thread
        for step in range(per_thread):
            user = mine[step % len(mine)]
            choice = choices[(step + user) % len(choices)]
            body = {"query": mutation, "variables": {"c": str(choice.pk)}}
            headers = {"Authorization": f"Bearer {tokens[user]}"}
            started = time.perf_counter()
            response = session.post(url, json=body, headers=headers, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            ok = response.ok and "errors" not in response.json()
            with lock:
                latencies.append(elapsed)
                if ok:
                    last_choice[user] = choice.pk
                else:
                    errors.append(response.text[:200])

    with _served(env, port):
        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started

    votes = {v.user.username: v.choice_id for v in Vote.objects.select_related("user")}
    expected = {f"voter{u}": c for u, c in last_choice.items()}
    sent = per_thread * concurrency
    latencies.sort()
    return {
        "requests": sent,
        "concurrency": concurrency,
        "users": users,
        "workers": int(env.get("WEB_CONCURRENCY", "2")),
        "rps": sent / elapsed,
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": len(errors),
        "vote_rows": Vote.objects.count(),
        "votes_match_last_request": votes == expected,
        "no_vote_lost_or_doubled": Vote.objects.count() == len(expected) and votes == expected,
    }


def vote_row_in_child(quick: bool) -> dict:
    try:
        _pg_recreate()
    except Exception as exc:  # noqa: BLE001 - report, don't crash the other rows
        return {"skipped": f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__})"}
    admin = PG_ADMIN_URL.rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{admin}/{PG_BENCH_DB}",
        "REDIS_URL": REDIS_BENCH_URL,
    }
    args = [sys.executable, "-m", "bench.run", "--vote-load"] + (["--quick"] if quick else [])
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        return {"skipped": "the vote load failed: " + (result.stderr or result.stdout)[-1500:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Report ---------------------------------------------------------------------------


def _machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import version

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "versions": {
            name: version(name)
            for name in ("Django", "graphene", "graphene-django", "graphql-core", "gunicorn")
        },
    }


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(
    machine: dict,
    me: dict,
    polls: list[dict],
    vote: dict,
    login: dict,
    documents: list[dict],
    pages: list[dict],
    peer: dict,
    quick: bool,
) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`bench/run.py`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        + (" in quick mode (small samples: figures are rough)." if quick else "."),
        "Every figure is the median of repeated runs, measured side by side in one run.",
        "Throughput depends on the machine; the ratios and query counts are what to compare.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores; memory: {machine['memory']}",
        f"- Python {machine['python']}; "
        + ", ".join(f"{k} {v}" for k, v in machine["versions"].items()),
        "",
        "## 1. `{ me { username } }` through /graphql vs a plain Django view",
        "",
        "In-process (Django's test client: the whole middleware stack and view, no sockets), "
        f"{me['rounds']} rounds of {me['requests_per_round']} requests per variant, in rotating "
        "order. The plain view (`bench/views.py`) does the same JWT check and user lookup and "
        "returns the same JSON.",
        "",
        "| variant | requests/s | ratio to the plain view |",
        "|---|---:|---:|",
        f"| plain Django view | {me['plain_rps']:.0f} | 1.00 |",
        f"| /graphql, document cache on (default) | {me['graphql_rps']:.0f} | {me['ratio']:.2f} |",
        f"| /graphql, document cache off | {me['graphql_nocache_rps']:.0f} | "
        f"{me['ratio_nocache']:.2f} |",
        "",
        f"Target: at least 0.70× the plain view: {_verdict(me['ratio'] >= 0.70)} "
        f"({me['ratio']:.2f}×).",
        "",
        "## 2. `polls` with choices, votes, totalVotes and myVote",
        "",
        "| polls | SQL queries per request | latency per request (ms) |",
        "|---:|---:|---:|",
        *(f"| {p['polls']} | {p['queries']} | {p['latency_ms']:.1f} |" for p in polls),
        "",
        f"Target: the query count is flat: {_verdict(len({p['queries'] for p in polls}) == 1)} "
        f"({', '.join(str(p['queries']) for p in polls)}; one of them loads the signed-in user).",
        "",
        "## 3. `vote` under concurrent load against `make serve` on PostgreSQL",
        "",
    ]
    if "skipped" in vote:
        lines += [f"Not measured: {vote['skipped']}", ""]
    else:
        lines += [
            f"`make serve` (gunicorn, {vote['workers']} workers × 4 threads, DEBUG off) on "
            f"PostgreSQL and Redis; a Python client with {vote['concurrency']} threads sends "
            f"{vote['requests']} `vote` mutations for {vote['users']} users (each user's votes "
            "from one thread, moving between three choices). The load generator and the "
            "server share this machine's cores.",
            "",
            "| requests/s | p50 (ms) | p99 (ms) | errors |",
            "|---:|---:|---:|---:|",
            f"| {vote['rps']:.0f} | {vote['p50_ms']:.1f} | {vote['p99_ms']:.1f} | "
            f"{vote['errors']} |",
            "",
            f"Afterwards: {vote['vote_rows']} vote rows for {vote['users']} users, each on the "
            "choice of that user's last successful request: "
            + ("no vote lost or doubled." if vote["no_vote_lost_or_doubled"] else "**MISMATCH**."),
            "",
        ]
    lines += [
        "## 4. The full 2FA login: tokenAuth, then verifyToken (console provider)",
        "",
        f"Median of {login['repeats']} logins with the deployed hasher ({login['hasher']}); the "
        "hash timed on its own with `check_password`; and the same logins for a user whose "
        "hash costs nothing (MD5), which measures everything but the hash directly.",
        "",
        "| part | ms |",
        "|---|---:|",
        f"| whole login (both requests) | {login['total_ms']:.1f} |",
        f"| tokenAuth (hash, challenge, send) | {login['token_auth_ms']:.1f} |",
        f"| verifyToken (check, tokens) | {login['verify_token_ms']:.1f} |",
        f"| password hash alone | {login['hash_ms']:.1f} |",
        f"| everything but the hash (the login with a free hash) | {login['rest_ms']:.1f} |",
        "",
        f"Target: everything but the hash under 10 ms: {_verdict(login['rest_ms'] < 10)} "
        f"({login['rest_ms']:.1f} ms).",
        "",
        *documents_report_lines(documents, _verdict),
        *stack_report_lines(pages, peer, _verdict),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small samples (CI smoke run)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--vote-load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.vote_load:  # the child process of row 3
        import django

        django.setup()
        result = row_vote(
            requests_total=400 if args.quick else 4000,
            concurrency=8 if args.quick else 16,
            users=32 if args.quick else 64,
        )
        print(json.dumps(result))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="pollstr-bench-"))
    try:
        django_setup(workdir)
        machine = _machine()
        print("row 1: { me } vs a plain view ...", flush=True)
        me = row_me(rounds=3 if args.quick else 9, n=100 if args.quick else 1000)
        print("row 2: polls ...", flush=True)
        polls = row_polls([10, 100, 1000], repeats=3 if args.quick else 20)
        print("row 4: the 2FA login ...", flush=True)
        login = row_login(repeats=3 if args.quick else 15)
        print("row 5: validating documents at the edge of the limits ...", flush=True)
        documents = row_documents(repeats=3 if args.quick else 21)
        print("row 3: vote under load on PostgreSQL ...", flush=True)
        vote = vote_row_in_child(args.quick)
        print("rows 6 and 7: a page at 10k/1M votes, side by side with DRF ...", flush=True)
        pages, peer = stack_rows_run(args.quick)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = report(machine, me, polls, vote, login, documents, pages, peer, args.quick)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(text)
    print(f"written to {args.out}")
    if "skipped" not in vote and not vote["no_vote_lost_or_doubled"]:
        return 1  # a correctness failure, not a speed figure
    if "skipped" not in peer and not peer["counts_match"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
