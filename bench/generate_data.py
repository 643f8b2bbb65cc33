"""The data generator's speed: `generate_applications` against a plain COPY of the same rows.

Columns: applications/s of the generator writing by `bulk_create` and by COPY (its default on
PostgreSQL), of the baseline COPY alone, their ratio (COPY alone = 1), and all rows/s
(applications, events and appeals) of the generator.

Usage:  uv run python bench/generate_data.py [N ...]     (default 10000 100000)

A temporary PostgreSQL database (127.0.0.1:5432, trust auth; dropped at the end) is migrated; for
each N the generator writes N applications of one year with their timelines and appeals, timed.
The baseline, side by side in the same run: the rows it wrote are copied out (COPY TO), the tables
emptied, and the same rows written back with COPY FROM, the fastest way PostgreSQL takes rows.
Prints applications/s for both and the ratio.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
NAME = f"gk_gen_bench_{os.getpid()}"
ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{NAME}"
os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

TABLES = ("reports_appeal", "cases_event", "cases_application")


def main(sizes: list[int]) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {NAME}")
    try:
        run(sizes)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")


def run(sizes: list[int]) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.accounts.models import Organisation
    from gongkai.demo import generate

    call_command("migrate", verbosity=0)
    print(
        f"{'N':>9} {'bulk_create/s':>14} {'generator/s':>12} {'COPY/s':>10} {'ratio':>6} "
        f"{'rows/s':>8} {'events':>9}"
    )
    for n in sizes:
        seconds = {}
        for by_copy in (False, True):  # the generator writing by bulk_create, then by COPY
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(TABLES)}, cases_trackingcounter CASCADE")
            org, _ = Organisation.objects.get_or_create(
                code="BENCH", defaults={"name": "测试局", "kind": "department"}
            )
            generate.COPY_ON_POSTGRESQL = by_copy
            result = generate.generate_applications(
                org, year=2025, count=n, seed=1, today=dt.date(2026, 6, 30)
            )
            seconds[by_copy] = result.seconds
        copied = _copy_round_trip(connection.connection)
        rows = n + result.events + result.appeals
        print(
            f"{n:>9} {n / seconds[False]:>14.0f} {n / seconds[True]:>12.0f} {n / copied:>10.0f} "
            f"{copied / seconds[True]:>6.2f} {rows / seconds[True]:>8.0f} {result.events:>9}"
        )


def _copy_round_trip(raw: psycopg.Connection) -> float:
    """Seconds to write the same rows again with COPY FROM (after COPY TO and TRUNCATE)."""
    dumps = {}
    with raw.cursor() as cursor:
        for table in TABLES:
            buffer = io.BytesIO()
            with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            dumps[table] = buffer.getvalue()
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        raw.commit()
        started = time.perf_counter()
        for table in reversed(TABLES):
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(dumps[table])
        raw.commit()
        return time.perf_counter() - started


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
