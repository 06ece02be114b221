"""System checks for the pages: a deployment that would serve `/` without the
built app (a checkout where `make app` has not run) is told so."""

from django.core import checks


@checks.register(deploy=True)
def check_app_built(app_configs, **kwargs):
    from web.views import APP_MANIFEST, app_assets

    if app_assets() is not None:
        return []
    return [
        checks.Warning(
            f"The app served at / is not built: {APP_MANIFEST} is missing or unreadable, "
            "so / answers 503.",
            hint="Run `make app` (make serve does) before collectstatic.",
            id="web.W001",
        )
    ]
