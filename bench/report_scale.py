"""Reports at scale on PostgreSQL: the annual report page, tables 三/四 by SQL aggregation and
the drill-down (数字来源) of the biggest cell, each beside a hand-written SQL baseline in the
same run, with the memory they take (issue 15, parts 1 and 2).

Usage:
  uv run python bench/report_scale.py --database sql_scale --org CODE[:YEAR] [--org …]
      a copy of the shared template (createdb -T gk_scale_tpl sql_scale; see /work/wt/BRIEF.md):
      migrated here, then measured organisation by organisation (YEAR: the report year,
      default the year with most applications received)
  uv run python bench/report_scale.py --database sql_bench --make 10000 --make 1000000
      without the template: a fresh database with one department per size, filled by one
      INSERT … SELECT each (received over 2024, concluded in 2024 or 2025, some open)
Both run VACUUM ANALYZE first (what autovacuum does in steady state).

For each organisation it prints the best of --runs:
  page cold / warm   GET /reports/CODE/YEAR/ logged in (Django test client), the table cache
                     cleared before "cold"; warm reads table 三 from the cache
  tables             gongkai.reports.tables.tables_of (uncached) vs one hand-written GROUP BY
  cell page          GET …/cells/t3.ROW.total/ of the biggest cell (first page and the page after
                     a cursor half-way) vs hand-written keyset SQL + COUNT(*)
  memory             tracemalloc peak of one uncached table build and of one cell page
Ratios are ours / baseline (≤ 1.5 is the issue's aim for the tables).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
SERVER = "postgres://postgres@127.0.0.1:5432"
OUTCOMES = ("r_open", "r_open", "r_partial", "r_na_notheld", "r_deny_process", "r_np_repeat",
            "r_other_other")  # fmt: skip
TYPES = ("natural", "natural", "natural", "biz", "legal", "other_org", "research")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--org", action="append", default=[], help="CODE or CODE:YEAR")
    parser.add_argument("--make", action="append", type=int, default=[])
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


def setup(args: argparse.Namespace) -> None:
    if args.make:
        recreate(args.database)
    os.environ["DATABASE_URL"] = f"{SERVER}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")


def recreate(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def make(count: int) -> str:
    """A department with `count` applications of 2024, inserted by one INSERT … SELECT (a
    million in seconds): received over the year, nine in ten concluded 5–34 days later with one
    of seven outcomes (some in 2025: carried out), seven applicant columns."""
    from django.db import connection

    from gongkai.accounts.models import Organisation

    code = f"SQLB{count}"
    org = Organisation.objects.create(code=code, name=f"规模测试局{count}", kind="department")
    outcomes = "ARRAY[" + ",".join(f"'{o}'" for o in OUTCOMES) + "]"
    types = "ARRAY[" + ",".join(f"'{t}'" for t in TYPES) + "]"
    concluded = "CASE WHEN n %% 10 <> 0 THEN DATE '2024-01-01' + (n %% 366) + 5 + (n %% 30) END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO cases_application (organisation_id, year, sequence, tracking_no,
                  status, applicant_type, applicant_name, id_type, id_number, phone, address,
                  postcode, email, channel, received_on, content, purpose, form, delivery,
                  outcome, legal_basis, concluded_on, extended, deadline_provisional,
                  created_at, updated_at)
                SELECT %s, 2024, n, %s || '-' || n,
                  CASE WHEN n %% 10 <> 0 THEN 'closed' ELSE 'processing' END,
                  ({types})[1 + n %% 7], '张三', 'resident_id', '11010519491231002X', '', '', '',
                  '', 'online', DATE '2024-01-01' + (n %% 366), '请公开某文件', '', 'electronic',
                  'email', CASE WHEN n %% 10 <> 0 THEN ({outcomes})[1 + n %% 7] ELSE '' END, '',
                  {concluded}, false, false, now(), now()
                FROM generate_series(1, %s) AS n""",
            [org.pk, code, count],
        )
    return f"{code}:2024"


def vacuum() -> None:
    """What autovacuum does in steady state: statistics for the planner and the visibility map
    that lets index-only scans skip the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("cases_application", "cases_event", "reports_appeal"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def best(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def peak(action: Callable[[], Any]) -> int:
    tracemalloc.start()
    action()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def baseline_groups(org_id: int, start: dt.date, end: dt.date) -> list[Any]:
    """The GROUP BY one would write by hand for table 三."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT applicant_type, outcome, received_on < %s, concluded_on <= %s, count(*)
                 FROM cases_application
                WHERE organisation_id = %s AND status NOT IN ('voided', 'submitted',
                      'not_accepted') AND received_on <= %s
                  AND (concluded_on IS NULL OR concluded_on >= %s)
                GROUP BY 1, 2, 3, 4""",
            [start, end, org_id, end, start],
        )
        return cursor.fetchall()


def baseline_cell(org_id: int, start: dt.date, end: dt.date, after: tuple[Any, int]) -> int:
    """Keyset page + count of the 本年新收 (new) cell by hand."""
    from django.db import connection

    where = """organisation_id = %s AND status NOT IN ('voided', 'submitted', 'not_accepted')
               AND received_on BETWEEN %s AND %s"""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT id, tracking_no, applicant_type, received_on, concluded_on, outcome, status
                  FROM cases_application WHERE {where} AND (received_on, id) > (%s, %s)
                 ORDER BY received_on, id LIMIT 51""",
            [org_id, start, end, *after],
        )
        cursor.fetchall()
        cursor.execute(
            f"SELECT count(*) FROM cases_application WHERE {where}", [org_id, start, end]
        )
        return int(cursor.fetchone()[0])


def most_received_year(org_id: int) -> int:
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from gongkai.cases.models import Application

    row = (
        Application.objects.filter(organisation_id=org_id)
        .annotate(y=ExtractYear("received_on")).values("y").annotate(n=Count("id"))
        .order_by("-n").first()
    )  # fmt: skip
    return int(row["y"]) if row else 2024


def measure(spec: str, runs: int) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client

    from gongkai.accounts.models import Membership, Organisation
    from gongkai.cases.models import Application
    from gongkai.reports.tables import tables_of

    code, _, year_text = spec.partition(":")
    org = Organisation.objects.get(code=code)
    year = int(year_text) if year_text else most_received_year(org.pk)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    size = Application.objects.filter(organisation=org).count()
    user, _ = User.objects.get_or_create(username="sql-bench-reader")
    Membership.objects.get_or_create(user=user, organisation=org, role="reviewer")
    client = Client()
    client.force_login(user)
    url = f"/reports/{code}/{year}/"

    def page() -> int:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def cold() -> int:
        cache.clear()
        return page()

    out: dict[str, Any] = {"org": code, "year": year, "applications": size}
    out["page_cold"], _ = best(cold, runs)
    out["page_warm"], _ = best(page, runs)
    out["tables"], tables = best(lambda: tables_of([org.pk], start, end), runs)
    out["baseline_tables"], _ = best(lambda: baseline_groups(org.pk, start, end), runs)
    t3 = tables[org.pk].t3
    row = max(t3, key=lambda key: t3[key][6].value or 0)
    out["cell"], out["cell_value"] = f"t3.{row}.total", t3[row][6].value
    cell_url = f"{url}cells/t3.{row}.total/"
    first = client.get(cell_url)
    assert first.status_code == 200
    out["cell_first"], _ = best(lambda: client.get(cell_url).status_code, runs)
    middle = (
        Application.objects.filter(organisation=org, received_on__range=(start, end))
        .order_by("received_on", "id")
        .values_list("received_on", "id")[max(0, (out["cell_value"] or 0) // 2)]
    ) if out["cell_value"] else (start, 0)  # fmt: skip
    after_url = f"{cell_url}?after={middle[0].isoformat()}.{middle[1]}"
    out["cell_middle"], _ = best(lambda: client.get(after_url).status_code, runs)
    out["baseline_cell"], _ = best(lambda: baseline_cell(org.pk, start, end, (start, 0)), runs)
    cache.clear()
    out["mem_tables"] = peak(lambda: tables_of([org.pk], start, end))
    out["mem_cell"] = peak(lambda: client.get(cell_url))
    out["mem_page_cold"] = peak(cold)
    return out


def show(r: dict[str, Any]) -> None:
    ms = {k: v * 1000 for k, v in r.items() if isinstance(v, float)}
    print(
        f"\n{r['org']} {r['year']}: {r['applications']:,} applications\n"
        f"  report page       cold {ms['page_cold']:8.1f} ms   warm {ms['page_warm']:8.1f} ms\n"
        f"  tables 三/四       {ms['tables']:8.1f} ms   hand GROUP BY {ms['baseline_tables']:8.1f} ms"
        f"   ratio {r['tables'] / r['baseline_tables']:.2f}\n"
        f"  cell {r['cell']} ({r['cell_value']:,}) page 1 {ms['cell_first']:8.1f} ms"
        f"   after half-way {ms['cell_middle']:8.1f} ms   hand keyset+count"
        f" {ms['baseline_cell']:8.1f} ms   ratio {r['cell_first'] / r['baseline_cell']:.2f}\n"
        f"  memory peak       tables {r['mem_tables'] / 1e6:6.2f} MB   cell page"
        f" {r['mem_cell'] / 1e6:6.2f} MB   report page cold {r['mem_page_cold'] / 1e6:6.2f} MB"
    )


def main() -> None:
    args = options()
    setup(args)
    specs = list(args.org) + [make(n) for n in args.make]
    started = time.perf_counter()
    vacuum()
    print(f"vacuum analyze: {time.perf_counter() - started:.1f} s")
    results = [measure(spec, args.runs) for spec in specs]
    for result in results:
        show(result)
    print("\nmedian of page warm:", f"{statistics.median(r['page_warm'] for r in results):.3f} s")


if __name__ == "__main__":
    main()
