"""``python -m bench``: latency and throughput of the staff pages under concurrent load, on loopback.

First the in-process workloads, which need no server: ``placements_match`` times the placements
matching engine (match, stability check and explanations) on a deterministic random instance of 400
candidates and 350 vacancies, without Django; ``recruitment_import`` times importing a generated
1,000-row XLSX of past applications (``difference.recruitment.imports``) into its own throwaway SQLite
database under ``var/bench/``, migrated afresh, each repetition rolled back so every one starts from the
same database (run in a Django subprocess, as below, so this process never imports Django).
``benchmarks_load`` loads every shipped DfE file with ``load_dfe``'s service and builds the rates at every
level, timed against a plain DuckDB scan of the same files in the same run.
``jobs_queue`` measures the background queue on SQLite and PostgreSQL (see ``bench/jobs_queue.py``).
``--only placements_match``, ``--only recruitment_import``, ``--only benchmarks_load`` or ``--only jobs_queue``
runs just that and skips everything below.
Then, for the HTTP workloads, every run from scratch:

1. a throwaway SQLite database under ``var/bench/`` (``DIFFERENCE_SQLITE_PATH``): ``migrate``,
   ``createcachetable``, then realistic data (``load_demo`` if the project has it, else ``load_schools``,
   else ~2,000 schools from the test factories), ``collectstatic``;
2. a staff-admin user with TOTP (``create_api_fixture``, so the MFA middleware lets them through) and a
   logged-in session created server-side in a small Django subprocess, sent as the session cookie;
3. gunicorn (production settings, ``--workers 3`` by default) on 127.0.0.1 and a free port;
4. for each workload a short warm-up, then a fixed number of requests (bounded in time) from N concurrent
   asyncio workers with ``httpx``; any response but 200 is an error.

Figures go to stdout, one per line, ``<workload> <figure> <value>``, e.g. ``home_staff p95_ms 123.4``;
progress goes to stderr. The exit status is non-zero when any request failed. gunicorn is stopped at the
end, whatever happens. Only loopback is ever targeted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench import jobs_queue

if TYPE_CHECKING:
    import httpx

    from difference.placements.matching import Instance

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
BENCH_EMAIL = "bench-staff-admin@example.org"
DJANGO_TASK = "--django-task"


@dataclass(frozen=True)
class Workload:
    name: str
    path: str
    authenticated: bool
    # Checked once before measuring, so a login page or an empty list is not benchmarked by mistake.
    must_contain: str


TRIVIAL = Workload("healthz", "/healthz", authenticated=False, must_contain='"ok"')
WORKLOADS = [
    TRIVIAL,
    Workload("home_staff", "/", authenticated=True, must_contain="Good to see you"),
    Workload("schools_list", "/schools/?q=academy", authenticated=True, must_contain="Academy"),
]
# Measured in this process, before (and without) any server: see the in-process workloads below.
PLACEMENTS_MATCH = "placements_match"
RECRUITMENT_IMPORT = "recruitment_import"
BENCHMARKS_LOAD = "benchmarks_load"
JOBS_QUEUE = "jobs_queue"
IN_PROCESS = [PLACEMENTS_MATCH, RECRUITMENT_IMPORT, BENCHMARKS_LOAD, JOBS_QUEUE]


@dataclass
class Result:
    workload: Workload
    requested: int
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def completed(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    @property
    def rps(self) -> float:
        return self.completed / self.elapsed if self.elapsed else 0.0


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- In-process workloads: pure Python, no server, no Django --------------------------------------
def placements_instance(candidates: int = 400, vacancies: int = 350, choices: int = 10, seed: int = 2022) -> Instance:
    """The same instance every run: 1–2 posts per vacancy, each candidate ranks ``choices`` vacancies at
    random, and each vacancy ranks, in a random order, exactly the candidates who listed it."""
    from difference.placements.matching import Instance

    rng = random.Random(seed)
    candidate_ids = [f"c{n:03d}" for n in range(candidates)]
    vacancy_ids = [f"v{n:03d}" for n in range(vacancies)]
    preferences = {c: tuple(rng.sample(vacancy_ids, choices)) for c in candidate_ids}
    listed_by: dict[str, list[str]] = {v: [] for v in vacancy_ids}
    for candidate, listed in preferences.items():
        for vacancy in listed:
            listed_by[vacancy].append(candidate)
    for applicants in listed_by.values():
        rng.shuffle(applicants)
    return Instance(
        preferences=preferences,
        capacities={v: rng.randint(1, 2) for v in vacancy_ids},
        rankings={v: tuple(applicants) for v, applicants in listed_by.items()},
    )


def bench_placements_match(repetitions: int) -> int:
    """Time ``run()`` (match, independent stability check, every explanation); the number of blocking pairs."""
    from difference.placements.matching import run

    if "django" in sys.modules:
        raise SystemExit("importing the matching engine imported Django; it must stay pure Python")
    instance = placements_instance()
    say(f"measuring {PLACEMENTS_MATCH}: run() {repetitions} times after a warm-up, in-process")
    result = run(instance)
    timings = []
    for _ in range(repetitions):
        started = time.perf_counter()
        result = run(instance)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"{PLACEMENTS_MATCH} candidates {len(instance.preferences)}")
    print(f"{PLACEMENTS_MATCH} vacancies {len(instance.capacities)}")
    print(f"{PLACEMENTS_MATCH} posts {sum(instance.capacities.values())}")
    print(f"{PLACEMENTS_MATCH} matched {sum(1 for v in result.matching.values() if v is not None)}")
    print(f"{PLACEMENTS_MATCH} repetitions {repetitions}")
    print(f"{PLACEMENTS_MATCH} median_ms {statistics.median(timings):.1f}")
    print(f"{PLACEMENTS_MATCH} max_ms {max(timings):.1f}")
    print(f"{PLACEMENTS_MATCH} blocking_pairs {len(result.blocking_pairs)}")
    sys.stdout.flush()
    return len(result.blocking_pairs)


def bench_recruitment_import(data_dir: Path, repetitions: int, rows: int) -> None:
    """Time importing a generated XLSX of past applications, in a Django subprocess on a fresh database."""
    setup = Setup(data_dir, debug=False, db_name="recruitment-import.sqlite3")
    setup.migrated()
    say(f"measuring {RECRUITMENT_IMPORT}: {rows} rows, {repetitions} times after a warm-up, each rolled back")
    output = setup.task("recruitment-import", str(repetitions), str(rows), str(data_dir / "recruitment-import.xlsx"))
    figures = json.loads(output.strip().splitlines()[-1])
    for name in ("rows", "applications", "people_created", "people_matched", "repetitions"):
        print(f"{RECRUITMENT_IMPORT} {name} {figures[name]}")
    for name in ("median_ms", "max_ms", "dry_run_median_ms"):
        print(f"{RECRUITMENT_IMPORT} {name} {figures[name]:.1f}")
    sys.stdout.flush()


def bench_benchmarks_load(data_dir: Path) -> None:
    """Load every shipped DfE file and build the rates, against a plain DuckDB scan of the same files."""
    setup = Setup(data_dir, debug=False, db_name="benchmarks-load.sqlite3")
    setup.migrated()
    say(f"measuring {BENCHMARKS_LOAD}: load_dfe on every shipped file, the rates, and a plain DuckDB scan")
    figures = json.loads(setup.task("benchmarks-load").strip().splitlines()[-1])
    for name in ("files", "rows_loaded", "observations", "rate_rows"):
        print(f"{BENCHMARKS_LOAD} {name} {figures[name]}")
    for name in ("load_ms", "rates_ms", "duckdb_scan_ms"):
        print(f"{BENCHMARKS_LOAD} {name} {figures[name]:.1f}")
    print(f"{BENCHMARKS_LOAD} load_vs_scan_ratio {figures['load_ms'] / figures['duckdb_scan_ms']:.1f}")
    sys.stdout.flush()


# --- The Django side: run in subprocesses so this process never imports Django ---------------------
def django_task(task: str, *args: str) -> None:
    import django

    django.setup()
    if task == "session":
        _print_session(args[0])
    elif task == "factory-schools":
        _create_factory_schools(int(args[0]))
    elif task == "recruitment-import":
        _time_recruitment_import(int(args[0]), int(args[1]), Path(args[2]))
    elif task == "benchmarks-load":
        _time_benchmarks_load()
    else:
        raise SystemExit(f"unknown Django task {task!r}")


def _print_session(email: str) -> None:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(json.dumps({"name": settings.SESSION_COOKIE_NAME, "value": session.session_key}))


def _create_factory_schools(count: int) -> None:
    from difference.schools.models import School, SchoolCategory
    from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

    authorities = [LocalAuthorityFactory(code=f"{300 + n:03d}", name=f"Borough {n}") for n in range(150)]
    trusts = [TrustFactory() for _ in range(200)]
    kinds = [
        ("Academy", SchoolCategory.MAINSTREAM),
        ("Primary School", SchoolCategory.MAINSTREAM),
        ("High School", SchoolCategory.MAINSTREAM),
        ("Pupil Referral Unit", SchoolCategory.PRU),
        ("AP Academy", SchoolCategory.AP_ACADEMY),
        ("Special School", SchoolCategory.SPECIAL),
    ]
    schools = []
    for n in range(count):
        suffix, category = kinds[n % len(kinds)]
        schools.append(
            SchoolFactory.build(
                urn=100000 + n,
                name=f"Example {n} {suffix}",
                category=category,
                local_authority=authorities[n % len(authorities)],
                trust=trusts[n % len(trusts)] if n % 3 else None,
                pupils=50 + n % 1500,
                status="Open",
            )
        )
    School.objects.bulk_create(schools, batch_size=500)
    print(f"created {count} schools from the factories", file=sys.stderr)


# Every fifth applicant already has a person record (say, from registering interest). The outcomes, in turn:
# (shortlisted, centre score, decision, offer status), so 1,000 rows give 100 accepted offers.
_KNOWN_PEOPLE_EVERY = 5
_IMPORT_OUTCOMES = [
    ("", None, "", ""),
    ("no", None, "", ""),
    ("no", None, "", ""),
    ("no", None, "", ""),
    ("yes", None, "", ""),
    ("yes", 3.5, "", ""),
    ("yes", 2.0, "decline", ""),
    ("yes", 3.0, "reserve", ""),
    ("yes", 3.5, "reserve", "made"),
    ("yes", 4.25, "offer", "accepted"),
]


def _import_rows(count: int, year: int) -> list[list[object]]:
    """Deterministic rows in ``TEMPLATE_HEADER`` order: every outcome, typed dates and scores, diversity answers."""
    import datetime as dt

    rng = random.Random(year)
    rows: list[list[object]] = []
    for n in range(count):
        shortlisted, centre_score, decision, offer_status = _IMPORT_OUTCOMES[n % len(_IMPORT_OUTCOMES)]
        rows.append(
            [
                year,
                f"First{n}",
                f"Last{n}",
                f"applicant{n}@bench.example.org",
                dt.date(year - 1, 12, 1) + dt.timedelta(days=n % 60),
                rng.choice([1.5, 2.0, 2.5, 2.75, 3.0, 3.25, 3.5, 4.0, 4.5, 5.0]),
                shortlisted,
                centre_score,
                decision,
                offer_status,
                rng.choice(["woman", "man", "non_binary", "prefer_not_to_say", ""]),
                rng.choice(["asian", "black", "mixed", "white", "other", ""]),
                rng.choice(["yes", "no", ""]),
                rng.choice(["under_25", "25_34", "35_44", "45_54", "55_plus", ""]),
            ]
        )
    return rows


def _time_recruitment_import(repetitions: int, count: int, path: Path) -> None:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone
    from openpyxl import Workbook

    from difference.core.imports import ImportOutcome
    from difference.people.models import Person
    from difference.recruitment.imports import TEMPLATE_HEADER, import_applications
    from difference.recruitment.models import RecruitmentRound

    year = 2022
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(TEMPLATE_HEADER)
    for row in _import_rows(count, year):
        sheet.append(row)
    workbook.save(path)
    opens = timezone.make_aware(dt.datetime(year - 1, 11, 1, 9))
    RecruitmentRound.objects.create(year=year, opens_at=opens, closes_at=opens + dt.timedelta(days=90))
    Person.objects.bulk_create(
        Person(first_name="Known", last_name=str(n), email=f"Applicant{n}@bench.example.org")
        for n in range(0, count, _KNOWN_PEOPLE_EVERY)
    )

    def timed(dry_run: bool) -> tuple[float, ImportOutcome]:
        # Rolled back, so every repetition imports into the same database (the commit itself is not timed).
        with transaction.atomic():
            started = time.perf_counter()
            result = import_applications(path, may_write_demographics=True, dry_run=dry_run)
            elapsed = (time.perf_counter() - started) * 1000
            transaction.set_rollback(True)
        if result.errors:
            raise SystemExit(f"the generated file did not import: {[str(e) for e in result.errors[:5]]}")
        return elapsed, result

    timed(dry_run=False)  # warm-up: lazy imports (openpyxl) and first-use caches
    runs = [timed(dry_run=False) for _ in range(repetitions)]
    dry_runs = [timed(dry_run=True)[0] for _ in range(repetitions)]
    timings = [elapsed for elapsed, _ in runs]
    result = runs[-1][1]
    figures = {
        "rows": count,
        "applications": result.counts["applications"].created,
        "people_created": result.counts["people"].created,
        "people_matched": result.counts["people"].unchanged,
        "repetitions": repetitions,
        "median_ms": statistics.median(timings),
        "max_ms": max(timings),
        "dry_run_median_ms": statistics.median(dry_runs),
    }
    print(json.dumps(figures))


def _time_benchmarks_load() -> None:
    import duckdb

    from difference.benchmarks.loaders import ALL_MEASURES
    from difference.benchmarks.models import Observation
    from difference.benchmarks.rates import rate_rows
    from difference.benchmarks.services import load_dfe_files

    data = ROOT / "difference" / "benchmarks" / "data"
    files = sorted(p for p in data.iterdir() if ".csv" in p.name and not p.name.endswith(".meta.csv"))
    started = time.perf_counter()
    reports = load_dfe_files(paths=files)
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    built = sum(
        1
        for measure in ALL_MEASURES
        for level in ("national", "regional", "local authority")
        for _ in rate_rows(measure=measure, level=level)
    )
    rates_ms = (time.perf_counter() - started) * 1000
    # The floor: DuckDB reading the same files as text and counting their rows, nothing stored.
    started = time.perf_counter()
    with duckdb.connect() as connection:
        for path in files:
            connection.execute("SELECT count(*) FROM read_csv(?, all_varchar = true)", [str(path)]).fetchone()
    scan_ms = (time.perf_counter() - started) * 1000
    figures = {
        "files": len(files),
        "rows_loaded": sum(r.rows_written for r in reports),
        "observations": Observation.objects.count(),
        "rate_rows": built,
        "load_ms": load_ms,
        "rates_ms": rates_ms,
        "duckdb_scan_ms": scan_ms,
    }
    print(json.dumps(figures))


# --- Setup --------------------------------------------------------------------------------------
class Setup:
    def __init__(self, data_dir: Path, debug: bool, db_name: str = "bench.sqlite3") -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / db_name
        self.env = dict(os.environ)
        # Always the throwaway SQLite database and the database cache, whatever the caller's environment says.
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)
        self.env.update(
            DIFFERENCE_SQLITE_PATH=str(self.db_path),
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="true" if debug else "false",
            # One key for every process of the run: sessions are signed with it.
            DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
            DJANGO_ALLOWED_HOSTS=LOOPBACK,
            SECURE_SSL_REDIRECT="false",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        self.debug = debug

    def manage(self, *args: str, quiet: bool = True) -> str:
        proc = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            raise SystemExit(f"manage.py {' '.join(args)} failed with exit status {proc.returncode}")
        if not quiet:
            sys.stderr.write(proc.stderr)
        return proc.stdout

    def task(self, *args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "bench", DJANGO_TASK, *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            raise SystemExit(f"Django task {' '.join(args)} failed with exit status {proc.returncode}")
        sys.stderr.write(proc.stderr)
        return proc.stdout

    def migrated(self) -> None:
        """A fresh, empty database with every migration applied."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
        say(f"fresh database {_shown(self.db_path)}: migrate")
        self.manage("migrate", "--noinput")

    def database(self, schools: int) -> None:
        started = time.monotonic()
        self.migrated()
        say("createcachetable")
        self.manage("createcachetable")
        commands = set(self.manage("help", "--commands").split())
        if "load_demo" in commands:
            say("loading data: manage.py load_demo")
            self.manage("load_demo")
        elif "load_schools" in commands:
            say("loading data: manage.py load_schools")
            self.manage("load_schools")
        else:
            say(f"loading data: {schools} schools from the factories")
            self.task("factory-schools", str(schools))
        if not self.debug:
            say("collectstatic (production settings serve hashed static files)")
            self.manage("collectstatic", "--noinput")
        say(f"data ready in {time.monotonic() - started:.1f}s")

    def session_cookie(self) -> tuple[str, str]:
        self.manage("create_api_fixture", "--force", "--email", BENCH_EMAIL, "--schools", "0", "--people", "0")
        cookie = json.loads(self.task("session", BENCH_EMAIL).strip().splitlines()[-1])
        return cookie["name"], cookie["value"]


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(setup: Setup, port: int, workers: int) -> Iterator[str]:
    """Run gunicorn in its own process group on loopback; always stop it (SIGTERM, then SIGKILL)."""
    log_path = setup.data_dir / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"{LOOPBACK}:{port}"]
    command += ["--workers", str(workers), "--timeout", "60", "--log-level", "warning"]
    say(f"gunicorn on {LOOPBACK}:{port} with {workers} workers (log: {log_path.relative_to(ROOT)})")
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=setup.env, stdout=log, stderr=log, start_new_session=True)
    try:
        base_url = f"http://{LOOPBACK}:{port}"
        _wait_until_up(proc, base_url, log_path)
        yield base_url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        say("gunicorn stopped")


def _wait_until_up(proc: subprocess.Popen[bytes], base_url: str, log_path: Path, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {proc.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            if httpx.get(f"{base_url}{TRIVIAL.path}", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {TRIVIAL.path} within {timeout:.0f}s")


# --- Load generation --------------------------------------------------------------------------------
async def _drive(
    client: httpx.AsyncClient, path: str, total: int, concurrency: int, deadline: float, result: Result | None
) -> None:
    """``total`` GETs of ``path`` from ``concurrency`` workers, stopping early at ``deadline``."""
    import httpx

    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0 and time.monotonic() < deadline:
            remaining -= 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
                failure = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                failure = type(exc).__name__
            if result is not None:
                if failure is None:
                    result.latencies.append(time.perf_counter() - started)
                else:
                    result.failures[failure] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def measure(
    base_url: str,
    workload: Workload,
    cookie: tuple[str, str],
    *,
    concurrency: int,
    requests: int,
    warmup: int,
    max_seconds: float,
) -> Result:
    import httpx

    headers = {"Cookie": f"{cookie[0]}={cookie[1]}"} if workload.authenticated else {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=30, follow_redirects=False
    ) as client:
        first = await client.get(workload.path)
        if first.status_code != 200 or workload.must_contain not in first.text:
            raise SystemExit(
                f"{workload.name}: {workload.path} answered {first.status_code} "
                f"without {workload.must_contain!r} (Location: {first.headers.get('location', '-')})"
            )
        await _drive(client, workload.path, warmup, concurrency, time.monotonic() + max_seconds, None)
        result = Result(workload, requests)
        started = time.monotonic()
        await _drive(client, workload.path, requests, concurrency, started + max_seconds, result)
        result.elapsed = time.monotonic() - started
    return result


def report(results: list[Result]) -> None:
    import numpy as np

    trivial_rps = next((r.rps for r in results if r.workload == TRIVIAL), 0.0)
    for result in results:
        name = result.workload.name
        print(f"{name} requests {result.completed}")
        print(f"{name} errors {result.errors}")
        print(f"{name} rps {result.rps:.1f}")
        if result.latencies:
            p50, p95, p99 = np.percentile(np.array(result.latencies) * 1000, [50, 95, 99])
            print(f"{name} p50_ms {p50:.1f}")
            print(f"{name} p95_ms {p95:.1f}")
            print(f"{name} p99_ms {p99:.1f}")
        if result.workload != TRIVIAL and trivial_rps:
            print(f"{name} throughput_ratio_to_trivial {result.rps / trivial_rps:.3f}")
        sys.stdout.flush()
        if result.failures:
            say(f"{name}: failures {dict(result.failures)}")
        if result.completed + result.errors < result.requested:
            say(f"{name}: stopped by the time limit after {result.completed + result.errors} of {result.requested}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3, for 2 cores)")
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--requests", type=int, default=1500, help="measured requests per workload (default 1500)")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured requests first (default 100)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time limit per workload (default 60)")
    parser.add_argument("--schools", type=int, default=2000, help="factory schools if no loader exists")
    parser.add_argument("--port", type=int, default=0, help="loopback port for gunicorn (default: a free one)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench", help="where the throwaway DB lives")
    parser.add_argument("--debug", action="store_true", help="run the server with DJANGO_DEBUG=true")
    parser.add_argument(
        "--only",
        action="append",
        choices=[w.name for w in WORKLOADS] + IN_PROCESS,
        help="run only these (repeatable); with only in-process ones, no server or database is set up",
    )
    parser.add_argument(
        "--match-repetitions", type=int, default=20, help=f"timed runs of {PLACEMENTS_MATCH} (default 20)"
    )
    parser.add_argument(
        "--import-repetitions", type=int, default=5, help=f"timed runs of {RECRUITMENT_IMPORT} (default 5)"
    )
    parser.add_argument("--import-rows", type=int, default=1000, help=f"rows in {RECRUITMENT_IMPORT}'s file")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == [DJANGO_TASK]:
        django_task(*argv[1:])
        return 0
    args = parse_args(argv)
    blocking = 0
    if not args.only or PLACEMENTS_MATCH in args.only:
        blocking = bench_placements_match(args.match_repetitions)
        if blocking:
            say(f"FAILED: {PLACEMENTS_MATCH} found {blocking} blocking pair(s)")
    if not args.only or RECRUITMENT_IMPORT in args.only:
        bench_recruitment_import(args.data_dir.resolve(), args.import_repetitions, args.import_rows)
    if not args.only or BENCHMARKS_LOAD in args.only:
        bench_benchmarks_load(args.data_dir.resolve())
    if not args.only or JOBS_QUEUE in args.only:
        jobs_queue.run(args.data_dir.resolve())
    if args.only and not any(w.name in args.only for w in WORKLOADS):
        return 1 if blocking else 0
    # SIGTERM (e.g. CI cancelling the job) unwinds like Ctrl-C, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    setup = Setup(args.data_dir.resolve(), debug=args.debug)
    setup.database(args.schools)
    cookie = setup.session_cookie()
    workloads = [w for w in WORKLOADS if not args.only or w.name in args.only or w == TRIVIAL]
    say(
        f"{len(workloads)} workloads: {args.requests} requests each after {args.warmup} warm-up, "
        f"{args.concurrency} concurrent clients, at most {args.max_seconds:.0f}s each"
    )
    results = []
    with gunicorn(setup, args.port or free_port(), args.workers) as base_url:
        for workload in workloads:
            say(f"measuring {workload.name}: GET {workload.path}")
            results.append(
                asyncio.run(
                    measure(
                        base_url,
                        workload,
                        cookie,
                        concurrency=args.concurrency,
                        requests=args.requests,
                        warmup=args.warmup,
                        max_seconds=args.max_seconds,
                    )
                )
            )
    report(results)
    failed = sum(r.errors for r in results)
    if failed:
        say(f"FAILED: {failed} request(s) did not answer 200")
        return 1
    return 1 if blocking else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
