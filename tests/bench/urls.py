"""The site's URLs with the bench-only ceiling endpoint in front."""

from django.urls import include, path

from .ceiling.views import ping

urlpatterns = [
    path("bench/ping/", ping, name="bench_ping"),
    path("", include("cms.urls")),
]
