"""The JSON API under load: requests per second and latency of GET and POST /api/applications.

Usage:  uv run python bench/api_throughput.py [--rows 10000] [--seconds 20] [--clients 20]
                                              [--workers 4] [--warmup 2] [--json FILE]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). The database `--database`
(default bench_api) is dropped if it exists, created, migrated and filled with one department
(BENCH), a clerk (经办人) with an API token and `--rows` applications made with bulk_create,
received over the last two years (a third concluded with a reply, half of those delivered; every
one with its registration entry, so the list computes real deadlines). The application is then
served by gunicorn as `gongkai serve` starts it (`gongkai.wsgi:application`, sync workers,
`--workers`, 120 s timeout, access log) on a free local port with the production settings.

`--clients` threads of this process, each with its own http.client connection, then send
requests back to back for `--seconds` (after `--warmup` seconds that are not counted):
first `GET /api/applications` (the first page, 50 rows), then `POST /api/applications` (a valid
registration received a week ago, without Idempotency-Key). Only 200 and 201 count as
successes; every other answer or a failed connection is an error, counted by kind, and the
first one's body is printed. Latencies (p50, p95) are those of the successful requests, from
sending the request to reading the whole answer. gunicorn's sync workers close the connection
after each answer, so every request opens a new TCP connection (as behind nginx without
upstream keep-alive).

Everything runs on this machine: the clients share the cores with gunicorn and PostgreSQL. A
second table gives, per endpoint, the CPU seconds used by gunicorn (master and workers), by
PostgreSQL (all its processes, so any other database's work too), by the clients (this process)
and by other processes (the machine's busy time less those), against the cores × seconds
available; and gunicorn's and PostgreSQL's CPU milliseconds per successful request, which other
work on the machine disturbs much less than req/s and latency. A warning is printed when other
processes took more than 5 % of the machine. Gunicorn is stopped and the database dropped at the
end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"
ORG = "BENCH"
BATCH = 5000
SPAN_DAYS = 730  # the applications are received over the last two years
OUTCOMES = ("r_open", "r_partial", "r_na_notheld", "r_deny_process")
CHANNELS = ("online", "in_person", "mail", "letter")
SUCCESS = (200, 201)


# ---------------------------------------------------------------- database and data


def database_recreate(name: str, *, drop_only: bool = False) -> None:
    """Drop `name` (closing other sessions on it) and create it empty, through the maintenance
    database `postgres`."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def build(rows: int) -> str:
    """The department, its clerk with an API token, and `rows` applications; returns the token."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from gongkai.accounts.models import Membership, Organisation
    from gongkai.accounts.tokens import api_token_create
    from gongkai.cases.models import Application, Event, TrackingCounter
    from gongkai.domain.lifecycle import Role

    organisation = Organisation.objects.create(
        code=ORG, name="基准测试局", kind="department", address="南阳市宛城区××路1号"
    )
    clerk = get_user_model().objects.create_user("bench-clerk", password=secrets.token_urlsafe())
    Membership.objects.create(user=clerk, organisation=organisation, role=Role.CLERK)
    _, token = api_token_create(user=clerk, name="bench")

    today = timezone.localdate()
    counters: Counter[int] = Counter()
    for start in range(0, rows, BATCH):
        apps = []
        for n in range(start, min(start + BATCH, rows)):
            received = today - dt.timedelta(days=1 + n % SPAN_DAYS)
            counters[received.year] += 1
            apps.append(_application(organisation, n, received, counters[received.year], today))
        created = Application.objects.bulk_create(apps)
        events = []
        for app in created:
            events.append(
                Event(
                    application=app, action="register", date=app.received_on, actor=clerk,
                    actor_name="bench-clerk", note="登记", data={"channel": app.channel},
                )
            )  # fmt: skip
            if app.concluded_on is not None:
                events.append(Event(application=app, action="reply", date=app.concluded_on))
                if app.status == "delivered":
                    events.append(
                        Event(
                            application=app, action="deliver", date=app.concluded_on,
                            data={"method": "mail"},
                        )
                    )  # fmt: skip
        Event.objects.bulk_create(events)
    # Registrations through the API go on from the numbers taken here.
    TrackingCounter.objects.bulk_create(
        TrackingCounter(organisation=organisation, year=year, last=last)
        for year, last in counters.items()
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's figures, as autovacuum would leave them
    return token


def _application(
    organisation: Any, n: int, received: dt.date, sequence: int, today: dt.date
) -> Any:
    from gongkai.cases.models import Application
    from gongkai.test import VALID_ID

    reply = received + dt.timedelta(days=15)
    # A third replied to, unless the reply would still be to come; the others open.
    concluded = reply if n % 3 == 0 and reply < today else None
    status = "processing" if concluded is None else ("delivered" if n % 2 == 0 else "replied")
    return Application(
        organisation=organisation, year=received.year, sequence=sequence,
        tracking_no=f"{ORG}-{received.year}-{sequence:04d}", status=status,
        applicant_type="natural", applicant_name=f"申请人{n}", id_type="resident_id",
        id_number=VALID_ID, phone="13800000000", address="南阳市宛城区××路1号",
        channel=CHANNELS[n % 4], received_on=received,
        content="请公开2024年度老旧小区改造项目的立项批复、资金安排及验收文件。" * 2,
        due_on=received + dt.timedelta(days=28), extended=n % 10 == 0,
        outcome=OUTCOMES[n % 4] if concluded else "", concluded_on=concluded,
    )  # fmt: skip


def registration_body() -> bytes:
    """A valid POST /api/applications body (tests/api/base.py `registration()`), received a
    week ago."""
    from django.utils import timezone

    from gongkai.test import VALID_ID

    received = timezone.localdate() - dt.timedelta(days=7)
    body = {
        "org": ORG,
        "applicant": {
            "type": "natural",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": VALID_ID,
            "phone": "13800000000",
        },
        "channel": "online",
        "received_on": received.isoformat(),
        "content": "请公开2024年某项目的批复文件",
        "form": "electronic",
        "delivery": "email",
        "confirm_old_received_on": True,
    }
    return json.dumps(body, ensure_ascii=False).encode()


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def gunicorn_start(
    port: int, workers: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """gunicorn as `gongkai serve` runs it (gongkai/cli/web.py), in its own process group."""
    command = [
        sys.executable, "-m", "gunicorn", "gongkai.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "120",
        "--access-logfile", "-",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def gunicorn_stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group we started (master and workers), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_ready(process: subprocess.Popen[bytes], port: int, headers: dict[str, str]) -> float:
    """Seconds until the list answers 200 (a cold worker: imports, URLs, calendar)."""
    started = time.perf_counter()
    while time.perf_counter() - started < 60:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}")
        try:
            status, _ = request(port, "GET", "/api/applications?limit=1", None, headers)
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return time.perf_counter() - started
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer 200 within 60 s")


def request(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=130)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- CPU accounting

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat from field 3 (state) on: [1] ppid, [11:13] utime, stime, [13:15] the
    reaped children's."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def tree_cpu(root: int) -> float:
    """CPU seconds of `root`, of its children it has reaped (gunicorn's restarted workers,
    PostgreSQL's closed backends) and of its live children."""
    fields = _stat(root)
    if fields is None:
        return 0.0
    ticks = sum(int(x) for x in fields[11:15])
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            child = _stat(int(entry.name))
            if child is not None and int(child[1]) == root:
                ticks += int(child[11]) + int(child[12])
    return ticks / TICK


def postmaster() -> int | None:
    """The PostgreSQL server's main process when it runs on this machine (its backends are
    its children), else None."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            if Path(f"/proc/{parent}/comm").read_text().strip() != "postgres":
                return int(entry.name)
        except (OSError, IndexError):
            continue
    return None


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (all cores; /proc/stat less idle and iowait)."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / TICK


@dataclass
class CpuMeter:
    """CPU seconds used so far by gunicorn, PostgreSQL (all its databases), this process (the
    clients) and the whole machine; `other` is what is left: processes not ours."""

    gunicorn: int
    postgres: int | None

    def sample(self) -> dict[str, float]:
        return {
            "machine": machine_cpu(),
            "gunicorn": tree_cpu(self.gunicorn),
            "postgres": tree_cpu(self.postgres) if self.postgres else 0.0,
            "client": time.process_time(),
        }

    def spent(self, before: dict[str, float]) -> dict[str, float]:
        after = self.sample()
        used = {name: after[name] - before[name] for name in before}
        used["other"] = max(0.0, used.pop("machine") - sum(used.values()))
        return {name: round(value, 1) for name, value in used.items()}


# ---------------------------------------------------------------- the load


@dataclass
class Tally:
    """What one client saw; merged over the clients at the end."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    sample: str | None = None


def client(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str],
    deadline: float, tally: Tally,
) -> None:  # fmt: skip
    # http.client reopens the connection by itself when the server has closed it.
    conn = http.client.HTTPConnection(HOST, port, timeout=130)
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            tally.errors[type(exc).__name__] += 1
            tally.sample = tally.sample or repr(exc)
            time.sleep(0.01)
            continue
        elapsed = time.perf_counter() - started
        if response.status in SUCCESS:
            tally.latencies.append(elapsed)
        else:
            tally.errors[f"HTTP {response.status}"] += 1
            if tally.sample is None:
                tally.sample = f"HTTP {response.status}: {content[:500].decode(errors='replace')}"
    conn.close()


def load(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str],
    clients: int, seconds: float, meter: CpuMeter,
) -> dict[str, Any]:  # fmt: skip
    tallies = [Tally() for _ in range(clients)]
    before = meter.sample()
    started = time.perf_counter()
    deadline = started + seconds
    threads = [
        threading.Thread(target=client, args=(port, method, path, body, headers, deadline, t))
        for t in tallies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started  # up to the last answer after the deadline
    cpu = meter.spent(before)
    latencies = sorted(x for t in tallies for x in t.latencies)
    errors: Counter[str] = Counter()
    for t in tallies:
        errors.update(t.errors)
    sample = next((t.sample for t in tallies if t.sample), None)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    return {
        "endpoint": f"{method} {path.split('?')[0]}",
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "error_sample": sample,
        "elapsed_s": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000, 1) if cuts else None,
        "p95_ms": round(cuts[94] * 1000, 1) if cuts else None,
        "cpu_s": cpu,
        "capacity_cpu_s": round(elapsed * (os.cpu_count() or 1), 1),
        "gunicorn_ms_per_request": _per_request(cpu["gunicorn"], len(latencies)),
        "postgres_ms_per_request": _per_request(cpu["postgres"], len(latencies)),
    }


def _per_request(seconds: float, requests: int) -> float | None:
    return round(seconds * 1000 / requests, 1) if requests else None


# ---------------------------------------------------------------- main


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{head} (with uncommitted changes)" if changed else head


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000, help="applications in the table")
    parser.add_argument("--seconds", type=float, default=20, help="load per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="uncounted load before each")
    parser.add_argument("--clients", type=int, default=20, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--database", default="bench_api", help="dropped and created anew")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not re.fullmatch(r"bench_[a-z0-9_]+", args.database):
        parser.error("--database must be bench_<letters, digits, _> (not another user's database)")

    data_dir = tempfile.mkdtemp(prefix="gongkai-bench-")
    env = {
        "DATABASE_URL": f"{SERVER}/{args.database}",
        "GONGKAI_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "GONGKAI_HTTPS": "0",
        "GONGKAI_BEHIND_PROXY": "0",
        "GONGKAI_ADMIN_2FA": "0",
    }
    os.environ.update(env)
    process: subprocess.Popen[bytes] | None = None
    database_recreate(args.database)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        token = build(args.rows)
        build_s = time.perf_counter() - started
        body = registration_body()
        connections.close_all()

        port = free_port()
        log = Path(data_dir) / "gunicorn.log"
        process = gunicorn_start(port, args.workers, {**os.environ, **env}, log)
        auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        post_headers = {**auth, "Content-Type": "application/json"}
        try:
            ready_s = wait_ready(process, port, auth)
        except SystemExit:
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        # Both endpoints answer as they should before any figure is taken.
        status, content = request(port, "GET", "/api/applications", None, auth)
        page = json.loads(content) if status == 200 else {}
        if status != 200 or len(page.get("results", [])) != min(50, args.rows):
            raise SystemExit(f"GET /api/applications: HTTP {status}: {content[:500]!r}")
        status, content = request(port, "POST", "/api/applications", body, post_headers)
        if status != 201:
            raise SystemExit(f"POST /api/applications: HTTP {status}: {content[:500]!r}")

        print(
            f"commit {commit()}  rows {args.rows}  workers {args.workers} (gunicorn sync)  "
            f"clients {args.clients}  seconds {args.seconds:g} (+{args.warmup:g} warm-up)  "
            f"cores {os.cpu_count()}"
        )
        print(
            f"built {args.rows} applications in {build_s:.1f} s; gunicorn ready in {ready_s:.1f} s"
        )
        meter = CpuMeter(process.pid, postmaster())
        results = []
        for method, path, payload, headers in [
            ("GET", "/api/applications", None, auth),
            ("POST", "/api/applications", body, post_headers),
        ]:
            if args.warmup > 0:
                load(port, method, path, payload, headers, args.clients, args.warmup, meter)
            results.append(
                load(port, method, path, payload, headers, args.clients, args.seconds, meter)
            )

        print(
            f"{'endpoint':<22} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}"
        )
        for r in results:
            print(
                f"{r['endpoint']:<22} {r['requests']:>8} {r['errors']:>6} {r['rps']:>7.1f} "
                f"{_figure(r['p50_ms']):>7} {_figure(r['p95_ms']):>7}"
            )
        print(
            f"\n{'CPU seconds':<22} {'gunicorn':>8} {'postgres':>8} {'client':>6} {'other':>6} "
            f"{'of':>5}   {'gunicorn ms/req':>15} {'postgres ms/req':>15}"
        )
        for r in results:
            cpu = r["cpu_s"]
            print(
                f"{r['endpoint']:<22} {cpu['gunicorn']:>8.1f} {cpu['postgres']:>8.1f} "
                f"{cpu['client']:>6.1f} {cpu['other']:>6.1f} {r['capacity_cpu_s']:>5.1f}   "
                f"{_figure(r['gunicorn_ms_per_request']):>15} "
                f"{_figure(r['postgres_ms_per_request']):>15}"
            )
        if meter.postgres is None:
            print("(PostgreSQL does not run on this machine: its CPU is not measured)")
        for r in results:
            if r["cpu_s"]["other"] > 0.05 * r["capacity_cpu_s"]:
                print(
                    f"warning: other processes took {r['cpu_s']['other']:.1f} CPU s during "
                    f"{r['endpoint']}: its req/s and latencies are disturbed"
                )
            if r["errors"]:
                kinds = ", ".join(f"{k} ×{v}" for k, v in sorted(r["error_kinds"].items()))
                print(f"{r['endpoint']} errors: {kinds}\n  first: {r['error_sample']}")
        if args.json:
            figures = {
                "commit": commit(),
                "rows": args.rows,
                "workers": args.workers,
                "clients": args.clients,
                "seconds": args.seconds,
                "warmup": args.warmup,
                "cores": os.cpu_count(),
                "build_s": round(build_s, 1),
                "results": results,
            }
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", "utf-8")
    finally:
        if process is not None:
            gunicorn_stop(process)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        database_recreate(args.database, drop_only=True)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
