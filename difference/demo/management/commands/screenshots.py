"""Pictures of the demo for a reviewer who will not run the site: each role's home page, a leader's whole story,
the trust report's first screen and its PDF's first two pages, with an index page to look at them together.

The site is served from this process (a threaded WSGI server on a free port) unless ``--base-url`` names one that
is already running; logins are made as sessions on the server side, so no password or second factor is typed.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.urls import reverse

from difference.accounts.models import User
from difference.accounts.roles import Role
from difference.consultancy.exports import report_file
from difference.consultancy.models import Engagement
from difference.consultancy.report import build_report
from difference.demo.accounts import DEMO_USERS
from difference.people.models import Person

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
VIEWPORT: Any = {"width": 1280, "height": 800}  # a playwright ViewportSize


@dataclass(frozen=True)
class Shot:
    name: str
    title: str
    path: str
    email: str
    full_page: bool


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        pass


class Command(BaseCommand):
    help = "Screenshots of the demo's dashboards, a person's page, the trust report and its PDF, for review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="var/screenshots", help="Folder for the pictures (default: %(default)s).")
        parser.add_argument("--base-url", default="", help="A running site to shoot; by default one is served here.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not CHROMIUM.exists():
            raise CommandError(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        shots = self._shots()
        if not shots:
            raise CommandError("No demo logins here: run `manage.py load_demo` first.")
        cookies = {shot.email: _session_cookie(shot.email) for shot in shots}
        pictures = self._shoot(shots, cookies, out, options["base_url"])
        pictures += self._pdf_pages(out)
        (out / "index.html").write_text(_index(pictures), encoding="utf-8")
        self.stdout.write(f"{len(pictures)} pictures in {out}/; open {out / 'index.html'} to see them together.")

    def _shots(self) -> list[Shot]:
        logins = {email: role for role, email, _first, _last in DEMO_USERS if User.objects.filter(email=email).exists()}
        shots = [
            Shot(f"home-{role}", f"Home page: {Role(role).label}", "/", email, full_page=True)
            for email, role in logins.items()
        ]
        programme = next((email for email, role in logins.items() if role == Role.STAFF_PROGRAMME), None)
        leader = Person.objects.filter(user__email__in=logins, user__role=Role.LEADER).first()
        if programme and leader is not None:
            path = reverse("people:person_detail", kwargs={"pk": leader.pk})
            shots.append(Shot("person", "A leader's page, as the programme team sees it", path, programme, True))
        research = next((email for email, role in logins.items() if role == Role.STAFF_RESEARCH), None)
        engagement = Engagement.objects.order_by("pk").first()
        if research and engagement is not None:
            path = reverse("consultancy:report", kwargs={"pk": engagement.pk})
            shots.append(Shot("trust-report", "The trust report's first screen", path, research, full_page=False))
        return shots

    def _shoot(self, shots: list[Shot], cookies: dict[str, str], out: Path, base_url: str) -> list[tuple[str, str]]:
        from playwright.sync_api import sync_playwright

        server, base_url = (None, base_url.rstrip("/")) if base_url else _serve()
        pictures = []
        # Playwright's sync API runs an event loop in this thread; the sessions were made before it started, and
        # the server answers from its own threads.
        previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for shot in shots:
                    context = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="en-GB")
                    context.add_cookies(
                        [{"name": settings.SESSION_COOKIE_NAME, "value": cookies[shot.email], "url": base_url}]
                    )
                    page = context.new_page()
                    page.goto(shot.path, wait_until="networkidle")
                    file = out / f"{shot.name}.png"
                    page.screenshot(path=str(file), full_page=shot.full_page)
                    context.close()
                    pictures.append((file.name, shot.title))
                    self.stdout.write(f"  {file.name}: {shot.title} ({shot.path})")
                browser.close()
        finally:
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
            if server is not None:
                server.shutdown()
                server.server_close()
        return pictures

    def _pdf_pages(self, out: Path) -> list[tuple[str, str]]:
        engagement = Engagement.objects.select_related("trust").order_by("pk").first()
        if engagement is None:
            self.stdout.write("  No consultancy engagement here: the report's PDF was not drawn.")
            return []
        if shutil.which("pdftoppm") is None:
            raise CommandError("pdftoppm is missing: install it with `apt-get install -y poppler-utils`.")
        pdf = out / "trust-report.pdf"
        pdf.write_bytes(report_file(engagement, build_report(engagement), "pdf").content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(out / "trust-report-pdf")], check=True
        )
        pages = sorted(out.glob("trust-report-pdf-*.png"))
        for number, page in enumerate(pages, start=1):
            self.stdout.write(f"  {page.name}: the trust report's PDF, page {number}")
        return [(page.name, f"The trust report's PDF, page {number}") for number, page in enumerate(pages, start=1)]


def _session_cookie(email: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _serve() -> tuple[ThreadedWSGIServer, str]:
    server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(get_wsgi_application()))  # type: ignore[no-untyped-call]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host!s}:{port}"


def _index(pictures: list[tuple[str, str]]) -> str:
    figures = "\n".join(
        f"<figure><figcaption>{html.escape(title)}</figcaption>"
        f'<img src="{html.escape(name)}" alt="{html.escape(title)}"></figure>'
        for name, title in pictures
    )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Difference: screenshots of the demo'
        "</title><style>body{font-family:sans-serif;margin:2rem}figure{margin:0 0 3rem}"
        "img{max-width:100%;border:1px solid #ccc}figcaption{font-weight:bold;margin-bottom:.5rem}</style></head>"
        f"<body><h1>Difference: screenshots of the demo</h1>{figures}</body></html>\n"
    )
