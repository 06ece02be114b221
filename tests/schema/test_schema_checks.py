"""`manage.py check` on the GraphQL edge's settings."""

import pytest


def test_check_deploy_warns_when_persisted_queries_share_the_limits_redis(settings):
    from schema.checks import check_persisted_queries_store

    settings.REDIS_URL = "redis://10.0.0.5:6379/0"
    settings.GRAPHQL_APQ_REDIS_URL = "redis://10.0.0.5:6379/1"
    assert [w.id for w in check_persisted_queries_store(None)] == ["schema.W001"]

    settings.GRAPHQL_APQ_REDIS_URL = "redis://10.0.0.6:6379/0"
    assert check_persisted_queries_store(None) == []
    settings.GRAPHQL_APQ_REDIS_URL = ""
    assert check_persisted_queries_store(None) == []


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("GRAPHQL_MAX_VARIABLE_DEPTH", 0, "schema.E001"),
        ("GRAPHQL_MAX_VARIABLE_DEPTH", 500, "schema.E001"),
        ("GRAPHQL_APQ_LIMIT_WINDOW", 0, "schema.E002"),
        ("GRAPHQL_MAX_FIELD_REPEATS", -1, "schema.E003"),
    ],
)
def test_check_refuses_edge_settings_that_cant_work(settings, name, value, error):
    from schema.checks import check_graphql_settings

    assert check_graphql_settings(None) == []
    setattr(settings, name, value)
    assert [e.id for e in check_graphql_settings(None)] == [error]


def test_check_warns_when_cors_headers_lock_spas_out(settings):
    from schema.checks import check_cors_headers

    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    settings.CORS_ALLOW_HEADERS = ["content-type", "traceparent"]
    assert [w.id for w in check_cors_headers(None)] == ["schema.W002"]
    assert "authorization" in check_cors_headers(None)[0].msg

    settings.CORS_ALLOW_HEADERS = ["Content-Type", "Authorization"]
    assert check_cors_headers(None) == []
    settings.CORS_ALLOW_HEADERS = ["traceparent"]
    settings.CORS_ALLOWED_ORIGINS = []
    assert check_cors_headers(None) == []
