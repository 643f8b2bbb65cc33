"""Periodic statistics (监督保障) rolled up for a big government, against a hand-written GROUP BY.

Usage:  uv run python bench/supervision_stats.py [--orgs 200] [--per-org 5000] [--keep]
                                                 [--database bench_stats] [--runs 3]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). The database `--database` is
dropped if it exists, created, migrated and filled (bulk_create) with one government and
`--orgs` − 1 departments below it, each with `--per-org` applications received from 1 January
2025 to 30 November 2026 (spread evenly; 98 % of those received before November 2026 concluded
5–45 days later with one of six outcomes, some after their deadline; the rest open), a
registration event for each, a 补正 or 延期 or 征求意见 event for one in ten, a few appeals, items
and documents per department. `ANALYZE` runs before the timings, as autovacuum would.

Timed, best of `--runs`, one process (Django and PostgreSQL share the 2-core machine):
- `rollup_statistics` for November 2026 (`gongkai stats --org GOV --period 2026-11 --rollup`):
  the month and the year to date together, every figure of the JSON, for all organisations;
- the same split: the month alone and the year to date alone (`parts`);
- the baseline: one hand-written SQL query per span grouping the applications by organisation,
  applicant type and outcome with FILTER clauses (new, carry_in, outcome rows, carry_out), i.e.
  table 三 only, with nothing else; its totals are checked equal to the roll-up's.

`--keep` leaves the database for another run (then only the timings are done when it exists and
holds the expected number of applications).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
OUTCOMES = ("r_open", "r_partial", "r_na_notheld", "r_deny_process", "r_np_repeat",
            "r_other_other")  # fmt: skip
TYPES = ("natural", "natural", "natural", "biz", "legal", "other_org", "research")
CHANNELS = ("online", "online", "in_person", "mail", "letter")
FIRST = dt.date(2025, 1, 1)
LAST = dt.date(2026, 11, 30)
BATCH = 10_000


def database_recreate(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def build(orgs: int, per_org: int) -> None:
    from django.db import connection

    from gongkai.accounts.models import Organisation
    from gongkai.cases.models import Application, Event
    from gongkai.reports.models import Appeal, NormativeDocument, ProactiveItem

    government = Organisation.objects.create(code="GOV", name="基准区人民政府", kind="government")
    units = [
        government,
        *Organisation.objects.bulk_create(
            Organisation(
                code=f"D{n:03d}", name=f"基准局{n:03d}", kind="department", parent=government
            )
            for n in range(1, orgs)
        ),
    ]
    span = (LAST - FIRST).days + 1
    pending: list[Application] = []
    started = time.perf_counter()
    total = 0

    def flush() -> None:
        created = Application.objects.bulk_create(pending, batch_size=5000)
        events = []
        for index, app in enumerate(created):
            events.append(Event(application=app, action="register", date=app.received_on))
            if index % 10 == 0:
                action = ("request_correction", "extend", "start_consultation")[index // 10 % 3]
                events.append(Event(application=app, action=action,
                                    date=app.received_on + dt.timedelta(days=3)))  # fmt: skip
        Event.objects.bulk_create(events, batch_size=10_000)
        pending.clear()

    for org in units:
        for n in range(per_org):
            received = FIRST + dt.timedelta(days=n * span // per_org)
            due = received + dt.timedelta(days=28)
            concluded = None
            if received < dt.date(2026, 11, 1) and n % 50:
                concluded = received + dt.timedelta(days=5 + (n * 7) % 41)
            pending.append(
                Application(
                    organisation=org, year=received.year, sequence=n + 1,
                    tracking_no=f"{org.code}-{n + 1:07d}",
                    status="closed" if concluded else "processing",
                    applicant_type=TYPES[n % len(TYPES)], applicant_name="申请人",
                    id_type="resident_id", id_number="11010519491231002X",
                    channel=CHANNELS[n % len(CHANNELS)], received_on=received,
                    content="请公开某项目的批复文件。",
                    outcome=OUTCOMES[n % len(OUTCOMES)] if concluded else "",
                    concluded_on=concluded, due_on=due,
                )
            )  # fmt: skip
            if len(pending) >= BATCH:
                total += len(pending)
                flush()
        if pending:
            total += len(pending)
            flush()
        if org.pk % 20 == 0:
            print(f"  {total:,} applications ({time.perf_counter() - started:.0f} s)", flush=True)
    Appeal.objects.bulk_create(
        Appeal(organisation=org, kind=("review", "suit_direct")[k % 2], case_number=f"{org.code}-{k}",
               body="复议机关", filed_on=dt.date(2026, 1 + k, 10),
               result="upheld" if k % 3 else "", decided_on=dt.date(2026, 2 + k, 20) if k % 3 else None)
        for org in units for k in range(6)
    )  # fmt: skip
    ProactiveItem.objects.bulk_create(
        ProactiveItem(organisation=org, title=f"信息{k}", published_on=dt.date(2026, 1 + k % 11, 5),
                      is_interpretation=k % 4 == 0)
        for org in units for k in range(40)
    )  # fmt: skip
    NormativeDocument.objects.bulk_create(
        NormativeDocument(organisation=org, kind="normative_documents", title=f"文件{k}",
                          issued_on=dt.date(2026, 1 + k, 1))
        for org in units for k in range(3)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


BASELINE = """
SELECT organisation_id, applicant_type, outcome,
       count(*) FILTER (WHERE received_on >= %(start)s) AS new,
       count(*) FILTER (WHERE received_on < %(start)s) AS carry_in,
       count(*) FILTER (WHERE concluded_on <= %(end)s) AS concluded,
       count(*) FILTER (WHERE concluded_on IS NULL OR concluded_on > %(end)s) AS carry_out
FROM cases_application
WHERE organisation_id = ANY(%(ids)s)
  AND status NOT IN ('voided', 'submitted', 'not_accepted')
  AND received_on <= %(end)s AND (concluded_on IS NULL OR concluded_on >= %(start)s)
GROUP BY organisation_id, applicant_type, outcome
"""


def baseline(ids: list[int], start: dt.date, end: dt.date) -> dict[str, int]:
    from django.db import connection

    totals = {"new": 0, "carry_in": 0, "r_total": 0, "carry_out": 0}
    with connection.cursor() as cursor:
        cursor.execute(BASELINE, {"ids": ids, "start": start, "end": end})
        for _, _, _, new, carry_in, concluded, carry_out in cursor.fetchall():
            totals["new"] += new
            totals["carry_in"] += carry_in
            totals["r_total"] += concluded
            totals["carry_out"] += carry_out
    return totals


def best(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def prepared_database() -> argparse.Namespace:
    """Parse the options shared by the 监督保障 benches, then create (or, with --keep, reuse)
    the database, migrate it and fill it; Django is set up on return."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--per-org", type=int, default=5000)
    parser.add_argument("--database", default="bench_stats")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{SERVER}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    reuse = args.keep and database_exists(args.database)
    if not reuse:
        database_recreate(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.cases.models import Application

    call_command("migrate", verbosity=0)
    expected = args.orgs * args.per_org
    if not reuse or Application.objects.count() != expected:
        started = time.perf_counter()
        build(args.orgs, args.per_org)
        print(f"generated {expected:,} applications in {time.perf_counter() - started:.0f} s")
    return args


def main() -> None:
    args = prepared_database()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from gongkai.accounts.models import Organisation
    from gongkai.cases.models import Application
    from gongkai.domain.periods import Period
    from gongkai.supervision.access import supervised_organisations
    from gongkai.supervision.stats import parts, rollup_statistics

    government = Organisation.objects.get(code="GOV")
    period = Period.parse("2026-11")
    units = supervised_organisations(government)
    ids = [org.id for org in units]
    print(f"{len(units)} organisations, {Application.objects.count():,} applications, "
          f"PostgreSQL {connection.pg_version}")  # fmt: skip

    with CaptureQueriesContext(connection) as captured:
        rollup_statistics(government=government, period=period)
    queries = len(captured.captured_queries)
    reset_queries()
    t_rollup, stats = best(
        lambda: rollup_statistics(government=government, period=period), args.runs
    )
    t_month, _ = best(lambda: parts(units, period.start, period.end), args.runs)
    t_ytd, _ = best(lambda: parts(units, period.year_start, period.end), args.runs)
    t_base_month, base_month = best(lambda: baseline(ids, period.start, period.end), args.runs)
    t_base_ytd, base_ytd = best(lambda: baseline(ids, period.year_start, period.end), args.runs)
    for name, base, part in (("month", base_month, stats.this_period),
                             ("year to date", base_ytd, stats.year_to_date)):  # fmt: skip
        ours = {key: part.t3[key][6] for key in base}
        if ours != base:
            sys.exit(f"{name}: the roll-up {ours} differs from the baseline {base}")
    rows = [
        ("month (2026-11), all figures", t_month, t_base_month),
        ("year to date (2026-01..11), all figures", t_ytd, t_base_ytd),
        ("rollup_statistics: both, all figures", t_rollup, t_base_month + t_base_ytd),
    ]
    print(f"queries for one rollup_statistics: {queries}")
    print(f"month: new {stats.this_period.new:,}, concluded {stats.this_period.concluded:,}, "
          f"open {stats.this_period.open_at_end:,}, overdue {stats.this_period.overdue_at_end:,}; "
          f"year to date: new {stats.year_to_date.new:,}, concluded {stats.year_to_date.concluded:,} "
          "(table 三 totals equal the baseline's)")  # fmt: skip
    print(f"{'':44} {'gongkai':>9} {'GROUP BY':>9} {'ratio':>7}")
    for label, ours, base in rows:
        print(f"{label:44} {ours:8.2f}s {base:8.2f}s {ours / base:6.1f}×")


if __name__ == "__main__":
    main()
