from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Browser pages (the app, GraphiQL)"

    def ready(self):
        from web import checks  # noqa: F401  (registers the system checks)
