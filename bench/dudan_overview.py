"""督办 at scale on PostgreSQL: the supervisor's overview (逾期 / 即将到期 per organisation) and the
stalling patterns of a year, for a government of `--orgs` departments × `--apps` applications.

Usage:  uv run python bench/dudan_overview.py [--orgs 200] [--apps 5000] [--runs 20] [--keep]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). The database `--database`
(default h_dudan_bench) is dropped if it exists, created, migrated and filled with bulk_create:
one government (BENCHGOV) and its departments, each with `--apps` applications received over the
two years before TODAY — three quarters replied (3 % of those after the deadline), the rest open
(most with the clock running, received in the last 40 days, so some are overdue and some due soon;
a few waiting for a 补正 or in consultation); every application has its registration entry,
every reply its reply entry, 5 % an extension (one in five of those without a reason). The stored
deadlines are the engine's own (`reply_due` over each department's calendar).

Then, in this one process, after one warm-up run each:
- `overview`: gongkai.supervision.dudan.dudan_overview for the government (counts for every
  department, the first 200 rows), p50 / p95 over `--runs`;
- `overview, one department`: the same with `organisation=`;
- `page`: GET /supervision/dudan/BENCHGOV/ through Django's test client;
- `stalling, year`: stalling_findings_of for every department and the year before TODAY (3 runs):
  the candidates chosen in SQL, the deadline engine on each.
The database is dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable

SERVER = "postgres://postgres@127.0.0.1:5432"
TODAY = dt.date(2025, 6, 18)  # a Wednesday, no holiday near


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--apps", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database", default="h_dudan_bench")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    _psql(f"DROP DATABASE IF EXISTS {args.database}")
    _psql(f"CREATE DATABASE {args.database}")
    os.environ["DATABASE_URL"] = f"{SERVER}/{args.database}"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-dudanbench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    try:
        _run(args.orgs, args.apps, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _psql(f"DROP DATABASE IF EXISTS {args.database}")


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)


def _run(orgs: int, apps: int, runs: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    gov, departments, supervisor = _fill(orgs, apps)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_application")
        cursor.execute("VACUUM ANALYZE cases_event")
    print(f"PostgreSQL {connection.pg_version}; {orgs} departments × {apps:,} applications "
          f"filled in {time.perf_counter() - started:.0f} s")  # fmt: skip

    from django.test import Client

    from gongkai.supervision.dudan import CalendarPool, dudan_overview, stalling_findings_of

    first = dudan_overview(user=supervisor, root=gov, today=TODAY)
    print(f"overdue {first.total_overdue:,}, due within 3 working days {first.total_soon:,}")
    client = Client()
    client.force_login(supervisor)
    url = "/supervision/dudan/BENCHGOV/"
    assert client.get(url).status_code == 200
    one = departments[len(departments) // 2]
    rows = [
        ("overview", lambda: dudan_overview(user=supervisor, root=gov, today=TODAY), runs),
        (
            "overview, one department",
            lambda: dudan_overview(user=supervisor, root=gov, today=TODAY, organisation=one),
            runs,
        ),
        ("page", lambda: client.get(url), runs),
    ]
    everyone = [gov, *departments]
    pool = CalendarPool(everyone)
    calendars = {org.pk: pool.of(org.pk) for org in everyone}
    found = stalling_findings_of(everyone, TODAY.year - 1, calendars=calendars)
    print(f"stalling findings {TODAY.year - 1}: {sum(len(v) for v in found.values()):,}")
    rows.append(
        (
            "stalling, year",
            lambda: stalling_findings_of(everyone, TODAY.year - 1, calendars=calendars),
            3,
        )
    )
    print(f"{'':<28} {'p50 ms':>10} {'p95 ms':>10}")
    for label, call, n in rows:
        times = _timed(call, n)
        print(f"{label:<28} {times[0]:>10.1f} {times[1]:>10.1f}")


def _timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def _fill(orgs: int, apps: int):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    from gongkai.accounts.models import Membership, Organisation
    from gongkai.cases.calendar import calendar_for
    from gongkai.cases.models import Application, Event
    from gongkai.domain.deadlines import reply_due
    from gongkai.domain.lifecycle import Role

    gov = Organisation.objects.create(code="BENCHGOV", name="基准区人民政府", kind="government")
    departments = Organisation.objects.bulk_create(
        Organisation(code=f"B{n:04d}", name=f"基准区第{n}局", kind="department", parent=gov)
        for n in range(orgs)
    )
    supervisor = User.objects.create_user("bench-supervisor")
    Membership.objects.create(user=supervisor, organisation=gov, role=Role.SUPERVISOR)
    calendar = calendar_for(departments[0])  # no overrides: one calendar for all
    rng = random.Random(12)
    running = ("registered", "processing", "review")
    for org in departments:
        batch: list[Application] = []
        for n in range(apps):
            concluded = rng.random() < 0.75
            if concluded:
                received = TODAY - dt.timedelta(days=rng.randrange(40, 730))
            else:
                received = TODAY - dt.timedelta(days=rng.randrange(0, 40))
            due = reply_due(calendar, received)
            extended = rng.random() < 0.05
            if extended:
                due = calendar.add_workdays(due, 20)
            status = "replied" if concluded else rng.choice(running * 6 + ("correction",))
            replied_on = None
            if concluded:
                late = rng.random() < 0.03
                replied_on = calendar.add_workdays(due, rng.randrange(1, 6)) if late else (
                    calendar.add_workdays(received, rng.randrange(3, 18)))  # fmt: skip
            batch.append(
                Application(
                    organisation=org,
                    year=received.year,
                    sequence=n + 1,
                    tracking_no=f"{org.code}-{n + 1:06d}",
                    status=status,
                    applicant_type="natural",
                    applicant_name="某某",
                    id_type="resident_id",
                    id_number="11010519491231002X",
                    channel="in_person",
                    received_on=received,
                    content="请公开某项目的批复文件",
                    outcome="r_open" if concluded else "",
                    concluded_on=replied_on,
                    extended=extended,
                    due_on=None if status == "correction" else due,
                )
            )
        made = Application.objects.bulk_create(batch, batch_size=5000)
        events: list[Event] = []
        for app in made:
            events.append(Event(application=app, action="register", date=app.received_on))
            if app.extended:
                reason = "" if rng.random() < 0.2 else "需调取档案"
                day = calendar.add_workdays(app.received_on, rng.randrange(10, 20))
                events.append(
                    Event(
                        application=app,
                        action="extend",
                        date=day,
                        note=reason,
                        data={"reason": reason},
                    )
                )
            if app.concluded_on:
                events.append(Event(application=app, action="reply", date=app.concluded_on))
        Event.objects.bulk_create(events, batch_size=10000)
    return gov, departments, supervisor


if __name__ == "__main__":
    main()
