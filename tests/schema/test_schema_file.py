"""schema.graphql (committed, for clients' codegen) matches the code's schema,
and documents itself: every argument says what it takes."""

from pathlib import Path

from django.core.management import call_command
from graphql import build_schema, is_object_type

ROOT = Path(__file__).resolve().parents[2]


def _committed():
    return build_schema((ROOT / "schema.graphql").read_text())


def test_schema_graphql_is_up_to_date(tmp_path):
    generated = tmp_path / "schema.graphql"
    call_command("graphql_schema", out=str(generated), verbosity=0)

    committed = (ROOT / "schema.graphql").read_text()
    assert generated.read_text() == committed, (
        "schema.graphql is out of date: run `make schema` "
        "(manage.py graphql_schema --out schema.graphql) and commit it"
    )
    token_auth = _committed().mutation_type.fields["tokenAuth"]
    assert str(token_auth.type) == "TokenAuthPayload"
    assert {name: str(arg.type) for name, arg in token_auth.args.items()} == {
        "password": "String!",
        "username": "String!",
    }
    outcome = token_auth.type.fields["outcome"]
    assert str(outcome.type) == "TokenAuthOutcome!"
    assert [t.name for t in outcome.type.of_type.types] == ["AuthTokensPayload", "LoginChallenge"]


def test_every_argument_has_a_description():
    schema = _committed()
    undocumented = [
        f"{type_name}.{field_name}({arg_name})"
        for type_name, graphql_type in schema.type_map.items()
        if is_object_type(graphql_type) and not type_name.startswith("__")
        for field_name, field in graphql_type.fields.items()
        for arg_name, arg in field.args.items()
        if not arg.description
    ]
    assert undocumented == []
