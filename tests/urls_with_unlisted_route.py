"""The real URLs plus one that the authorisation matrix does not list (see the inventory test)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as real_urlpatterns

urlpatterns = [*real_urlpatterns, path("dummy/", lambda request: HttpResponse("x"), name="unlisted_dummy")]
