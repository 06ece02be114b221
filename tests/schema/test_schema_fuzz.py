"""Fuzzing: schemathesis generates queries and mutations from the live schema; none may 500.

A bounded run: a fixed number of examples per operation, against a live server
on 127.0.0.1, as a signed-in user with a verified phone (so the deeper branches
run too).
"""

import graphql
import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from accounts.models import User
from accounts.tokens import token_pair_issue
from polls.models import Choice, Poll
from tests.documents import PASSWORD, PHONE
from twofa.models import PhoneNumber

EXAMPLES_PER_OPERATION = 25


def _object(fields: dict) -> graphql.ObjectValueNode:
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)
            for name, value in fields.items()
        ]
    )


# WebAuthn's JSON (a custom scalar): text, or credential-shaped objects with
# arbitrary fields, as a broken or hostile client might send.
schemathesis.graphql.scalar(
    "WebAuthnJSON",
    st.one_of(
        st.text(max_size=50).map(nodes.String),
        st.dictionaries(
            st.sampled_from(["id", "rawId", "type", "response"]),
            st.text(max_size=30).map(nodes.String),
        ).map(_object),
    ),
)


@pytest.mark.django_db(transaction=True)
def test_no_generated_input_makes_the_server_fail(live_server, settings, outbox):
    # Introspection is how schemathesis learns the schema.
    settings.GRAPHIQL_ENABLED = True
    user = User.objects.create_user("fuzzer", password=PASSWORD)
    PhoneNumber.objects.create(user=user, number=PHONE, verified_at=timezone.now())
    Choice.objects.create(poll=Poll.objects.create(question="Fuzzed?"), text="Yes")
    token = token_pair_issue(user, amr=["pwd", "sms"], auth_time=timezone.now()).token
    headers = {"Authorization": f"Bearer {token}"}

    schema = schemathesis.graphql.from_url(f"{live_server.url}/graphql")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13  # every query and mutation of the contract

    failures, calls = [], []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings_for_fuzzing
        def run(case):
            response = case.call(headers=headers, timeout=30)
            calls.append(case.operation.label)
            body = response.json()
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
            if response.status_code >= 500 or None in codes or "INTERNAL_SERVER_ERROR" in codes:
                failures.append((case.operation.label, case.body, response.status_code, body))

        run()
    assert failures == []
    # Every operation was really exercised, not skipped by the generator.
    assert set(calls) == {operation.label for operation in operations}
    assert len(calls) >= 5 * len(operations)


settings_for_fuzzing = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
