"""The portal's URLs with the benchmark anchor on, as `portal.urls` adds it under
`BENCHMARK_ANCHOR=1` (that switch itself is tested in a fresh process)."""

from django.urls import include, path

from portal import views

urlpatterns = [
    path("bench/fortunes/", views.fortunes, name="bench_fortunes"),
    path("", include("portal.urls")),
]
