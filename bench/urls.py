"""The project's URLs plus the plain view the benchmark compares /graphql with."""

from django.urls import path

from bench.views import plain_me
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("bench/me", plain_me)]
