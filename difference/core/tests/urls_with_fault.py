"""The site's URLs plus one view that fails, to see what a visitor gets from an unexpected fault."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in a view")


urlpatterns = [path("fault-for-tests/", fails), *site_urlpatterns]
