from django.conf import settings
from django.contrib import admin
from django.urls import path

from core.health import healthz
from schema.views import GraphQLView
from web.views import DEV_OUTBOX_PATH, demo, dev_outbox, favicon

urlpatterns = [
    path("", demo, name="demo"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("graphql", GraphQLView.as_view(), name="graphql"),
]

# Development only: the route does not exist in production (the view checks again).
if settings.DEBUG:
    urlpatterns.append(path(DEV_OUTBOX_PATH, dev_outbox, name="dev-outbox"))
