"""The project's URLs plus what the benchmark compares /graphql with: a plain view
and the DRF + simplejwt peer (bench/peer/). Only bench/settings.py uses this."""

from django.urls import include, path

from bench.views import plain_me
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("bench/me", plain_me),
    path("drf/", include("bench.peer.urls")),
]
