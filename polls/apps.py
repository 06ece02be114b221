from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = "Polls"

    def ready(self):
        from polls import checks  # noqa: F401  (registers the checks)
