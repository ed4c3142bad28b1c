"""The background queue's overhead, on SQLite and on PostgreSQL: ``python -m bench --only jobs_queue``.

For each database, a throwaway database is migrated afresh and one idle worker (``manage.py run_worker`` with
its default polling interval) is started. Then:

* ``start_latency``: one trivial job at a time is queued and its start waited for; the figure is the time from
  the job's row being committed to the worker marking it running (the job's own timestamps), median and p95;
* ``throughput``: a batch of trivial jobs is queued at once and timed until the last has finished: jobs/second.

PostgreSQL is used when ``BENCH_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``) answers;
a database ``difference_bench_jobs`` is created there and dropped afterwards. Figures go to stdout as
``jobs_queue_<db> <figure> <value>``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "difference_bench_jobs"
LATENCY_JOBS = 20
BATCH_JOBS = 200

# Run inside Django (a subprocess with the throwaway database): queue jobs and read their timings.
MEASURE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.db import transaction
from difference.jobs import services
from difference.jobs.models import Job, JobState
from difference.jobs.tests import work

def queue():
    with transaction.atomic():
        return services.start_job(task=work.count_steps, title="bench", kind="bench", by=None, arguments={"steps": 0})

def wait(pks, deadline):
    while Job.objects.filter(pk__in=pks).exclude(state=JobState.DONE).exists():
        if time.monotonic() > deadline:
            raise SystemExit("jobs did not finish in time")
        time.sleep(0.005)

latencies = []
for _ in range(int(sys.argv[1])):
    job = queue()
    wait([job.pk], time.monotonic() + 60)
    job.refresh_from_db()
    latencies.append((job.started_at - job.created_at).total_seconds() * 1000)
started = time.monotonic()
pks = [queue().pk for _ in range(int(sys.argv[2]))]
wait(pks, time.monotonic() + 600)
elapsed = time.monotonic() - started
print(json.dumps({"latencies": latencies, "batch": len(pks), "elapsed": elapsed}))
"""


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def _measure(label: str, env: dict[str, str]) -> None:
    say(f"jobs_queue on {label}: migrating a throwaway database")
    _manage(env, "migrate", "--noinput")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # let the worker start and go idle
        say(f"jobs_queue on {label}: {LATENCY_JOBS} jobs one at a time, then {BATCH_JOBS} at once")
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, str(LATENCY_JOBS), str(BATCH_JOBS)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    figures = json.loads(out.strip().splitlines()[-1])
    latencies = sorted(figures["latencies"])
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(f"jobs_queue_{label} start_latency_median_ms {statistics.median(latencies):.1f}")
    print(f"jobs_queue_{label} start_latency_p95_ms {p95:.1f}")
    print(f"jobs_queue_{label} throughput_jobs_per_s {figures['batch'] / figures['elapsed']:.1f}")


def _base_env() -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    return env


def _postgres_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _postgres(sql: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(_postgres_admin_url(), autocommit=True, connect_timeout=3) as connection:
            connection.execute(sql)
    except Exception as error:  # noqa: BLE001 - no PostgreSQL here: the SQLite figures stand alone
        say(f"jobs_queue: PostgreSQL not used ({type(error).__name__}: {error})")
        return False
    return True


def run(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    sqlite_path = data_dir / "jobs-queue.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    _measure("sqlite", {**_base_env(), "DIFFERENCE_SQLITE_PATH": str(sqlite_path)})
    if _postgres(f"DROP DATABASE IF EXISTS {BENCH_DB}") and _postgres(f"CREATE DATABASE {BENCH_DB}"):
        url = _postgres_admin_url().rsplit("/", 1)[0] + f"/{BENCH_DB}"
        try:
            _measure("postgres", {**_base_env(), "DATABASE_URL": url})
        finally:
            _postgres(f"DROP DATABASE IF EXISTS {BENCH_DB}")
