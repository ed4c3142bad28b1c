from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# What a visitor sees when even the site's layout cannot be rendered (the database is down, a template
# or context processor is broken): the same header and words, with no template, query or link lookup.
_BARE_SERVER_ERROR = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Something went wrong · Difference</title>
<link rel="stylesheet" href="/static/css/site.css"></head>
<body><header class="site-header"><div class="wrap"><a class="brand" href="/">Difference</a></div></header>
<main id="main" class="wrap"><h1>Something went wrong on our side</h1>
<p>The page failed while it was being prepared. The fault has been logged for the team to fix. Anything you
were saving in this step was not saved, so you can safely try again in a few minutes.</p>
<p><a href="/">Go to your home page</a>.</p></main></body></html>
"""


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers; also the benchmarks' trivial view."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Django's own 500 view renders without the request, so the layout would lose its navigation and the
    reference to quote; render with it, and fall back to a page needing nothing if that fails too."""
    try:
        body: str = loader.render_to_string("500.html", request=request)
    except Exception:
        logger.exception("the 500 page itself could not be rendered")
        body = _BARE_SERVER_ERROR
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check most often means a form left open too long: say so in the site's layout."""
    logger.warning("CSRF check failed: %s", reason)
    return HttpResponse(loader.render_to_string("403_csrf.html", request=request), status=403)
