from django.contrib import admin
from django.urls import path

from core.health import healthz
from ops.views import metrics_view, readyz
from schema.views import GraphQLView
from web.views import app

urlpatterns = [
    path("", app, name="app"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("graphql", GraphQLView.as_view(), name="graphql"),
]
