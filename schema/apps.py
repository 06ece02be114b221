"""The GraphQL edge as a Django app, so its system checks are registered."""

from django.apps import AppConfig


class SchemaConfig(AppConfig):
    name = "schema"
    verbose_name = "GraphQL edge"

    def ready(self):
        from schema import checks  # noqa: F401  (registers the checks)
