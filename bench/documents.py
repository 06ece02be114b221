"""Row 5 of `make bench`: what validating one document costs at the edge of the limits.

A stranger chooses the document, and every distinct document is parsed and
validated once (a comment or a space makes a new one, so the per-process cache
is no defence). What bounds the cost is the limits (schema/validation.py): a
document over one is refused after parsing and one linear walk, before the
standard rules; a document within them meets the standard rules, whose
overlapping-fields check is quadratic in fields that share a response path.
This row times the worst documents of each kind we know of, parsing and
validation together, with the document cache out of the way. Target: each
under 20 ms. Reported, never asserted.
"""

import statistics
import time

TARGET_MS = 20.0

POLL_FIELDS = (
    "polls { id question publishedAt totalVotes myVote { id text votes } "
    "choices { id text votes } }"
)
ME_FIELDS = (
    "me { id username email twoFactor { enabled phoneNumber methods preferredMethod "
    "recoveryCodesRemaining } }"
)


def _fragment_bomb() -> str:
    spreads = " ".join(["...B"] * 10)
    return (
        "{ me { ...A } } "
        f"fragment A on User {{ {spreads} }} "
        f"fragment B on User {{ {spreads.replace('B', 'C')} }} "
        "fragment C on User { id username email }"
    )


def _fragments_within_limits() -> str:
    names = [f"P{i}" for i in range(10)]
    body = POLL_FIELDS.removeprefix("polls { ").removesuffix(" }")
    return (
        "{ polls { " + " ".join(f"...{n}" for n in names) + " } " + " ".join([ME_FIELDS] * 7) + " }"
        " " + " ".join(f"fragment {n} on Poll {{ {body} }}" for n in names)
    )


# (what it is, document, True if it must be accepted)
DOCUMENTS = [
    ("`{ me { id } }` ×495, 5 KB (the review's document)", "{ " + "me { id } " * 495 + "}", False),
    (
        "`{ me { id } }` ×240: 480 fields, within the token limit",
        "{ " + "me { id } " * 240 + "}",
        False,
    ),
    (
        "`{ me { id id … } }`, 2,000 tokens (parsing stops at the limit)",
        "{ me { " + "id " * 1998 + "} }",
        False,
    ),
    ("`{ me { id } }` ×100 (one field asked 100 times)", "{ " + "me { id } " * 100 + "}", False),
    ("a fragment bomb: 10 × 10 × 3 fields", _fragment_bomb(), False),
    (
        "`{ __schema { queryType { name } } }` ×70 (introspection off)",
        "{ " + "__schema { queryType { name } } " * 70 + "}",
        False,
    ),
    (
        "200 fields: every field of `polls` ×10 and of `me` ×7",
        "{ " + " ".join([POLL_FIELDS] * 10 + [ME_FIELDS] * 7) + " }",
        True,
    ),
    ("the same through 10 fragments on `Poll`", _fragments_within_limits(), True),
    (
        "10 aliases of `polls`, each with every field",
        "{ " + " ".join(f"p{i}: {POLL_FIELDS}" for i in range(10)) + " }",
        True,
    ),
]


def row_documents(repeats: int) -> list[dict]:
    from django.conf import settings

    from schema import document_cache
    from schema.schema import schema

    graphql_schema = schema.graphql_schema
    introspection = settings.GRAPHIQL_ENABLED
    rows = []
    for label, document, accepted in DOCUMENTS:
        assert len(document) <= settings.GRAPHQL_MAX_DOCUMENT_LENGTH, label
        # The uncached path: what a document the process hasn't seen costs.
        _, errors = document_cache._document_prepare(graphql_schema, document, introspection)
        assert (errors is None) == accepted, (label, errors)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            document_cache._document_prepare(graphql_schema, document, introspection)
            times.append((time.perf_counter() - start) * 1000)
        code = "accepted" if accepted else errors["errors"][0]["extensions"]["code"]
        rows.append(
            {
                "document": label,
                "outcome": code,
                "ms": statistics.median(times),
                "accepted": accepted,
            }
        )
    return rows


def report_lines(rows: list[dict], verdict) -> list[str]:
    worst = {
        kind: max((r for r in rows if r["accepted"] == accepted), key=lambda r: r["ms"])
        for kind, accepted in (("refused", False), ("accepted", True))
    }
    return [
        "## 5. Validating a document at the edge of the limits",
        "",
        "Parsing and validating one document the process hasn't seen (the document cache out "
        "of the way), median of repeated runs, introspection off as in production. Documents "
        "over a limit are refused after parsing and one linear walk, before graphql-core's "
        "standard rules; documents within the limits meet all of them.",
        "",
        "| document | outcome | ms |",
        "|---|---|---:|",
        *(f"| {r['document']} | {r['outcome']} | {r['ms']:.1f} |" for r in rows),
        "",
        *(
            f"Target: the worst {kind} document under {TARGET_MS:.0f} ms: "
            f"{verdict(row['ms'] < TARGET_MS)} ({row['ms']:.1f} ms, {row['document']})."
            for kind, row in worst.items()
        ),
        "",
    ]
