from django.contrib import admin
from django.urls import path

from core.health import healthz
from schema.views import GraphQLView
from web.views import app

urlpatterns = [
    path("", app, name="app"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("graphql", GraphQLView.as_view(), name="graphql"),
]
