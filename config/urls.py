from django.contrib import admin
from django.urls import path

from schema.views import GraphQLView
from web.views import demo

urlpatterns = [
    path("", demo, name="demo"),
    path("admin/", admin.site.urls),
    path("graphql", GraphQLView.as_view(), name="graphql"),
]
