"""Online applicants under load: POST /open/<code>/apply/ against `gongkai serve` (gunicorn) on
PostgreSQL.

Usage:  uv run python bench/portal_apply.py [--seconds 60] [--clients 50] [--workers 4]
                                            [--database bench_apply] [--json FILE]

The database `--database` (default bench_apply) is dropped if it exists, created and migrated, and
gets one department (BENCH). gunicorn serves it as `gongkai serve` does (the helpers of
bench/api_throughput.py), with the submission rate limit raised: every client comes from
127.0.0.1, so the default per-address limit (GONGKAI_APPLY_RATE, 10/h) would refuse all but ten.
The limit itself is exercised by tests/portal/test_apply.py.

`--clients` threads, each a citizen with its own cookies: one GET of the form for the CSRF
cookie and token, then valid applications posted back to back for `--seconds`. An application is
acknowledged when the answer is 200 and shows `申请编号：…` and `查询码：…`. At the end the
database is read: every acknowledged number is stored exactly once, as 待签收, the numbers are
unique, and nothing else was stored. Any 5xx answer is a server error; the script exits 1 when
there is one or a check fails. Gunicorn is stopped and the database dropped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_throughput import (  # noqa: E402
    HOST,
    SERVER,
    commit,
    database_recreate,
    free_port,
    gunicorn_start,
    gunicorn_stop,
)

ORG = "BENCH"
VALID_ID = "11010519491231002X"
RECEIPT = re.compile(
    r"申请编号：<strong[^>]*>([^<]+)</strong>.*?查询码：<strong[^>]*>([^<]+)<", re.S
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    sample: str | None = None


def form_body(token: str, n: int) -> bytes:
    fields = {
        "csrfmiddlewaretoken": token,
        "applicant_type": "natural",
        "name": f"申请人{n}",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800000000",
        "content": "请公开2024年度老旧小区改造项目的立项批复文件",
        "form": "electronic",
        "delivery": "online",
        "consent": "on",
        "website": "",
    }
    return urllib.parse.urlencode(fields).encode()


def citizen(port: int, deadline: float, tally: Tally, number: int) -> None:
    path = f"/open/{ORG}/apply/"
    conn = http.client.HTTPConnection(HOST, port, timeout=130)
    conn.request("GET", path)
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    match = TOKEN.search(page)
    if response.status != 200 or not match or not cookie:
        tally.statuses[f"form HTTP {response.status}"] += 1
        return
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://{HOST}:{port}",
        "Referer": f"http://{HOST}:{port}{path}",
    }
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=form_body(match.group(1), number * 100_000 + n),
                         headers=headers)  # fmt: skip
            response = conn.getresponse()
            content = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            tally.statuses[type(exc).__name__] += 1
            tally.sample = tally.sample or repr(exc)
            continue
        elapsed = time.perf_counter() - started
        tally.statuses[f"HTTP {response.status}"] += 1
        receipt = RECEIPT.search(content) if response.status == 200 else None
        if receipt:
            tally.latencies.append(elapsed)
            tally.acknowledged.append(receipt.group(1))
        elif tally.sample is None:
            tally.sample = f"HTTP {response.status}: {content[:500]}"
    conn.close()


def wait_ready(port: int) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < 60:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            conn.request("GET", f"/open/{ORG}/apply/")
            if conn.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer 200 within 60 s")


def stored_checks(acknowledged: list[str]) -> dict[str, Any]:
    from gongkai.cases.models import Application, OnlineSubmission

    rows = list(
        Application.objects.filter(organisation__code=ORG).values_list("tracking_no", "status")
    )
    numbers = [number for number, _ in rows]
    return {
        "acknowledged": len(acknowledged),
        "stored": len(rows),
        "acknowledged_unique": len(set(acknowledged)) == len(acknowledged),
        "stored_unique": len(set(numbers)) == len(numbers),
        "each_acknowledged_stored_once": Counter(numbers) == Counter(acknowledged),
        "all_awaiting_signing": all(status == "submitted" for _, status in rows),
        "one_code_each": OnlineSubmission.objects.filter(
            application__organisation__code=ORG
        ).count() == len(rows),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--database", default="bench_apply", help="dropped and created anew")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not re.fullmatch(r"bench_[a-z0-9_]+", args.database):
        parser.error("--database must be bench_<letters, digits, _>")

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
        # Every client is 127.0.0.1: raise the per-address limit (docs/decisions.md PA-4).
        "GONGKAI_APPLY_RATE": "1000000/m",
    }
    os.environ.update(env)
    process = None
    database_recreate(args.database)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from gongkai.accounts.models import Organisation

        call_command("migrate", verbosity=0)
        Organisation.objects.create(code=ORG, name="基准测试局", kind="department")
        connections.close_all()
        port = free_port()
        log = Path(data_dir) / "gunicorn.log"
        process = gunicorn_start(port, args.workers, {**os.environ, **env}, log)
        ready_s = wait_ready(port)

        tallies = [Tally() for _ in range(args.clients)]
        started = time.perf_counter()
        deadline = started + args.seconds
        threads = [
            threading.Thread(target=citizen, args=(port, deadline, t, i))
            for i, t in enumerate(tallies)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        latencies = sorted(x for t in tallies for x in t.latencies)
        statuses: Counter[str] = Counter()
        for t in tallies:
            statuses.update(t.statuses)
        acknowledged = [n for t in tallies for n in t.acknowledged]
        cuts = (
            statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
        )
        server_errors = sum(c for s, c in statuses.items() if s.startswith("HTTP 5"))
        result = {
            "commit": commit(),
            "clients": args.clients,
            "workers": args.workers,
            "seconds": args.seconds,
            "gunicorn_ready_s": round(ready_s, 1),
            "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(cuts[49] * 1000, 1) if cuts else None,
            "p95_ms": round(cuts[94] * 1000, 1) if cuts else None,
            "answers": dict(statuses),
            "server_errors": server_errors,
            "sample": next((t.sample for t in tallies if t.sample), None),
            **stored_checks(acknowledged),
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        if args.json:
            args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
        checks = [k for k, v in result.items() if v is False]
        if server_errors or checks or not acknowledged:
            print(f"FAILED: server errors {server_errors}, checks {checks}", file=sys.stderr)
            sys.exit(1)
    finally:
        if process is not None:
            gunicorn_stop(process)
        from django.db import connections

        connections.close_all()
        database_recreate(args.database, drop_only=True)


if __name__ == "__main__":
    main()
