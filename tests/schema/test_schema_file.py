"""schema.graphql (committed, for clients' codegen) matches the code's schema."""

from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_is_up_to_date(tmp_path):
    generated = tmp_path / "schema.graphql"
    call_command("graphql_schema", out=str(generated), verbosity=0)

    committed = (ROOT / "schema.graphql").read_text()
    assert generated.read_text() == committed, (
        "schema.graphql is out of date: run `make schema` "
        "(manage.py graphql_schema --out schema.graphql) and commit it"
    )
    assert "tokenAuth(password: String!, username: String!): TokenAuthPayload" in committed
