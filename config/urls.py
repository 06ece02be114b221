from django.conf import settings
from django.contrib import admin
from django.urls import path

from core.health import healthz
from ops.views import metrics_view, readyz
from schema.views import GraphQLView
from web.views import DEV_OUTBOX_PATH, app, dev_outbox, favicon

urlpatterns = [
    path("", app, name="app"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("graphql", GraphQLView.as_view(), name="graphql"),
]

# Development only: the route does not exist in production (the view checks again).
if settings.DEBUG:
    urlpatterns.append(path(DEV_OUTBOX_PATH, dev_outbox, name="dev-outbox"))
