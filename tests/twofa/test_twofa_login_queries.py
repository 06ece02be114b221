"""The password step reads a user's 2FA state in one query (issue 15: the login besides the hash)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.documents import PASSWORD, TOKEN_AUTH

# What every send adds: its rollups (one upsert a table) and, once a minute,
# the staff's send blocks (twofa.blocks caches them).
SEND_BOOKKEEPING = ("twofa_sendrollup", "twofa_sendsourcerollup", "twofa_sendblock")


def bookkeeping(sql: list[str]) -> list[str]:
    return [q for q in sql if any(table in q for table in SEND_BOOKKEEPING)]


def queries_of_token_auth(gql) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        result = gql(TOKEN_AUTH, {"username": "alice", "password": PASSWORD})
    assert not result.errors, result.body
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_2fa_login_reads_the_users_factors_once_and_writes_the_challenge(gql, user_2fa, outbox):
    sql = queries_of_token_auth(gql)

    # The user; their factors; their pending login challenges; live codes to the
    # number; the audit row; the challenge.
    assert len(sql) - len(bookkeeping(sql)) == 6, "\n".join(sql)
    assert sum("twofa_phonenumber" in q for q in sql) == 1


def test_a_send_costs_one_query_a_rollup_and_reads_the_blocks_from_the_cache(gql, user_2fa, outbox):
    queries_of_token_auth(gql)

    again = bookkeeping(queries_of_token_auth(gql))

    assert len(again) == 2, "\n".join(again)
    assert not any("twofa_sendblock" in q for q in again)


def test_a_login_without_2fa_reads_the_factors_once(gql, user):
    sql = queries_of_token_auth(gql)

    assert sum("twofa_phonenumber" in q or "otp_totp" in q for q in sql) == 1, "\n".join(sql)
