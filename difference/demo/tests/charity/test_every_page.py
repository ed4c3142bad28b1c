"""Every page each role can reach on the demo, followed link by link from the home page: none fails, none is a bare
error page, and no number on any of them is shown with more than two decimals.

Pages are found as a person finds them, by following the links of the pages they can see; a route is visited at
most ``PER_ROUTE`` times (the tenth leader's page is built as the first was), which keeps the crawl to a few hundred
pages while still reaching every kind of page.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from difference.accounts.models import User
from difference.demo.accounts import DEMO_USERS

PER_ROUTE = 2
MAX_PAGES = 400
SITE_HEADER = '<header class="site-header">'
# Paths not crawled: the admin has its own layout, the API answers JSON, static files and downloads are not pages,
# and logging out would end the crawl.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/accounts/logout/", "/media/")
SKIPPED_SUFFIXES = (".pdf", ".csv", ".xlsx", ".ics", ".json")
ANONYMOUS_STARTS = ["/", "/accounts/login/", "/accounts/signup/", "/recruitment/register/", "/recruitment/apply/"]
# A number with three or more decimals, not part of a longer dotted run such as an address or a version.
LONG_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{3,}(?![\d.])")


@dataclass
class PageText(HTMLParser):
    """The links and the visible text of a page, leaving out scripts, styles and elements that ask for full
    precision (``data-precision="full"``)."""

    links: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    _hidden_depth: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if self._hidden_depth or tag in ("script", "style") or values.get("data-precision") == "full":
            if tag not in VOID_ELEMENTS:
                self._hidden_depth.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._hidden_depth and self._hidden_depth[-1] == tag:
            self._hidden_depth.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.numbers.extend(LONG_DECIMAL.findall(data))


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.route}|{match.view_name}"


def same_site_path(base: str, href: str) -> str | None:
    url, _fragment = urldefrag(urljoin("http://testserver" + base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(SKIPPED_SUFFIXES) or "format=" in parts.query:
        return None
    return path


def crawl(client: Client, starts: list[str]) -> Crawl:
    result = Crawl()
    queue = deque(starts)
    seen: set[str] = set(starts)
    per_route: Counter[str] = Counter()
    while queue and len(result.visited) < MAX_PAGES:
        path = queue.popleft()
        route = route_of(path.split("?")[0]) or path
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        response = client.get(path)
        result.visited.append(path)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 500:
            result.faults.append(f"{path}: {response.status_code}")
            continue
        if "text/html" not in content_type or response.status_code in (301, 302, 303, 307, 308):
            if response.status_code in (301, 302, 303, 307, 308):
                target = same_site_path(path, response["Location"])
                if target and target not in seen:
                    seen.add(target)
                    queue.append(target)
            continue
        body = response.content.decode(response.charset or "utf-8", errors="replace")
        if response.status_code >= 400:
            result.refused.append(f"{path}: {response.status_code}")
            if SITE_HEADER not in body:
                result.faults.append(f"{path}: a bare {response.status_code} page, outside the site's layout")
            continue
        page = PageText()
        page.feed(body)
        if page.numbers:
            result.faults.append(f"{path}: numbers with more than two decimals: {', '.join(page.numbers[:5])}")
        for href in page.links:
            target = same_site_path(path, href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return result


@pytest.mark.parametrize("email", [email for _role, email, _first, _last in DEMO_USERS])
def test_every_page_a_demo_login_reaches_is_whole_in_the_layout_and_shows_at_most_two_decimals(demo, email):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=email))

    result = crawl(client, ["/"])

    assert len(result.visited) > 1, "the home page should lead somewhere"
    assert not result.faults, "\n".join(result.faults)
    assert not result.refused, "links shown to this login that refuse it:\n" + "\n".join(result.refused)


def test_every_public_page_is_whole_in_the_layout_and_shows_at_most_two_decimals(demo):
    result = crawl(Client(raise_request_exception=False), ANONYMOUS_STARTS)

    assert "/accounts/login/" in result.visited
    assert not result.faults, "\n".join(result.faults)


def test_the_crawl_notices_long_decimals_outside_full_precision_elements():
    page = PageText()
    page.feed(
        '<p>England 18.89525 per 100</p><td data-precision="full">0.06273</td>'
        "<script>var x = 1.23456;</script><p>127.0.0.1 and 18.9</p>"
    )
    assert page.numbers == ["18.89525"]
