"""GraphiQL opens with a tab per step of the flow, each valid against the schema."""

import json
import re

import pytest
from graphql import parse, validate
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode

from schema.schema import schema
from web.graphiql_tabs import GRAPHIQL_TABS

pytestmark = pytest.mark.django_db

FLOW = ["register", "tokenAuth", "verifyToken", "verifyPhone", "vote", "refreshToken"]


@pytest.mark.parametrize("tab", GRAPHIQL_TABS, ids=FLOW)
def test_each_tab_is_a_valid_document_with_valid_variables(tab):
    document = parse(tab.query)
    assert validate(schema.graphql_schema, document) == []
    variables = json.loads(tab.variables)
    for operation in document.definitions:
        assert isinstance(operation, OperationDefinitionNode)
        names = {v.variable.name.value for v in operation.variable_definitions}
        coerced = get_variable_values(
            schema.graphql_schema,
            operation.variable_definitions,
            {k: v for k, v in variables.items() if k in names},
        )
        assert not isinstance(coerced, list), coerced  # a list is the coercion errors
    if tab.headers:
        assert "Authorization" in json.loads(tab.headers)


def test_the_tabs_follow_the_flow():
    fields = [
        parse(tab.query).definitions[0].selection_set.selections[0].name.value
        for tab in GRAPHIQL_TABS
    ]
    assert fields == FLOW


def test_graphiql_page_carries_the_tabs_as_json(client, settings):
    settings.GRAPHIQL_ENABLED = True

    html = client.get("/graphql", HTTP_ACCEPT="text/html").content.decode()

    found = re.search(
        r'<script id="graphiql-tabs" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the tabs are in a JSON script tag"
    tabs = json.loads(found.group(1))
    assert [t["query"] for t in tabs] == [t.query for t in GRAPHIQL_TABS]
    assert [json.loads(t["variables"]) for t in tabs] == [
        json.loads(t.variables) for t in GRAPHIQL_TABS
    ]
