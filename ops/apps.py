"""The operations app: /metrics, /readyz, the request context of every log line."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What an operator reads: metrics, readiness, request ids.

    It sits above the other apps (it asks twofa whether its providers are
    configured); none of them knows it. The metrics themselves are counted
    where things happen, through core.metrics.
    """

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from ops import checks  # noqa: F401 - registers the system checks
