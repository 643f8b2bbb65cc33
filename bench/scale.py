"""Shared scale data for benches (issue 15): the PostgreSQL template `gk_scale_tpl` and copies of it.

In a bench, before `django.setup()`:

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.scale import use_scale_copy
    use_scale_copy("mybench_scale")      # CREATE DATABASE mybench_scale TEMPLATE gk_scale_tpl,
    django.setup()                       # DATABASE_URL points at it; dropped at exit

Every bench at scale then reads the same data: the demo (users `clerk`, `supervisor`… password
`gongkai-demo`) plus three departments under 宛城区人民政府 with 10,000, 100,000 and 1,000,000
generated applications received 2016–2026 (see SCALE_ORGS and docs/performance.md "Scale data").
The template is never connected to except while it is built; a copy takes seconds (file copy).

    uv run python bench/scale.py build [--replace]    build the template (about 10 minutes)
    uv run python bench/scale.py summary              counts of a copy, as Markdown
"""

from __future__ import annotations

import atexit
import io
import os
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HOST = "postgres://postgres@127.0.0.1:5432"
TEMPLATE = "gk_scale_tpl"
PASSWORD = "gongkai-demo"  # the demo's password (gongkai.cases.demo.DEMO_PASSWORD)

# code, name, total applications over the years: one profile of yearly growth for all three, so
# that one year of each is a tenth of the next's and the history of each grows as offices' do.
SCALE_ORGS = (
    ("GEN10K", "宛城区自然资源局", 10_000),
    ("GEN100K", "宛城区住房和城乡建设局", 100_000),
    ("GEN1M", "宛城区人力资源和社会保障局", 1_000_000),
)
PARENT = "WCQ"  # 宛城区人民政府: the demo's `supervisor` sees all three
# Applications a year grow by about 6% a year (2026 up to the day of building).
YEAR_WEIGHTS = {
    2016: 62, 2017: 66, 2018: 71, 2019: 76, 2020: 82, 2021: 87,
    2022: 92, 2023: 98, 2024: 104, 2025: 110, 2026: 117,
}  # fmt: skip
# username, display name, role, organisation codes
SCALE_USERS = (
    ("gen10k_clerk", "自然资源局经办人", "clerk", ("GEN10K",)),
    ("gen10k_reviewer", "自然资源局审核人", "reviewer", ("GEN10K",)),
    ("gen100k_clerk", "住建局经办人", "clerk", ("GEN100K",)),
    ("gen100k_reviewer", "住建局审核人", "reviewer", ("GEN100K",)),
    ("gen1m_clerk", "人社局经办人", "clerk", ("GEN1M",)),
    ("gen1m_reviewer", "人社局审核人", "reviewer", ("GEN1M",)),
    ("gen_two_orgs", "住建局、人社局经办人", "clerk", ("GEN100K", "GEN1M")),
    ("gen_supervisor", "区政务公开办（监督全部机构）", "supervisor", (PARENT,)),
)


def yearly_counts(total: int) -> dict[int, int]:
    """`total` split over YEAR_WEIGHTS, exactly."""
    weight = sum(YEAR_WEIGHTS.values())
    counts = {year: total * w // weight for year, w in YEAR_WEIGHTS.items()}
    counts[max(counts)] += total - sum(counts.values())
    return counts


# ---------------------------------------------------------------- copies for benches


def _admin() -> psycopg.Connection:
    return psycopg.connect(f"{HOST}/postgres", autocommit=True)


def create_copy(name: str) -> str:
    """A fresh database `name` copied from the template (dropped first if left over); its URL."""
    with _admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(TEMPLATE)
            )
        )
    return f"{HOST}/{name}"


def drop_copy(name: str) -> None:
    if name == TEMPLATE:
        raise ValueError("the template is shared: drop it by hand")
    with _admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def use_scale_copy(name: str, *, keep: bool = False) -> str:
    """Point this process's Django (not yet set up) at a new copy of the template, dropped when
    the process exits unless `keep`. Run your own migrations on it after `django.setup()`."""
    url = create_copy(name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    if not keep:
        atexit.register(_drop_after_django, name)
    return url


def _drop_after_django(name: str) -> None:
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # Django never set up: nothing to close
        pass
    drop_copy(name)


# ---------------------------------------------------------------- building the template


def build(replace: bool = False) -> None:
    with _admin() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]).fetchone()
        if exists and not replace:
            sys.exit(f"{TEMPLATE} exists: --replace to build it again")
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(TEMPLATE))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
    os.environ["DATABASE_URL"] = f"{HOST}/{TEMPLATE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    timings: list[tuple[str, float]] = []

    def timed(what: str, *args: object, **kwargs: object) -> None:
        started = time.perf_counter()
        print(f"== {what}", flush=True)
        call_command(*args, **kwargs)
        timings.append((what, time.perf_counter() - started))

    timed("migrate", "migrate", verbosity=0)
    timed("load_demo", "load_demo")
    _organisations_and_users()
    for seed, (code, _, total) in enumerate(SCALE_ORGS, start=1):
        for year, count in yearly_counts(total).items():
            # stderr: the progress line of every batch, not wanted here
            timed(f"{code} {year} ({count})", "generate_applications", org=code, year=year,
                  count=count, seed=seed, stderr=io.StringIO())  # fmt: skip
    connections.close_all()
    started = time.perf_counter()
    with psycopg.connect(f"{HOST}/{TEMPLATE}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    timings.append(("VACUUM ANALYZE", time.perf_counter() - started))
    for what, seconds in timings:
        print(f"{seconds:8.1f} s  {what}")
    print(f"{sum(s for _, s in timings):8.1f} s  total")


def _organisations_and_users() -> None:
    from django.contrib.auth.models import User

    from gongkai.accounts.models import Membership, Organisation

    parent = Organisation.objects.get(code=PARENT)
    for code, name, _ in SCALE_ORGS:
        Organisation.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": "department", "parent": parent,
                      "address": "河南省南阳市宛城区", "phone": "0377-00000000"},
        )  # fmt: skip
    for username, title, role, codes in SCALE_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": title}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        for code in codes:
            Membership.objects.get_or_create(
                user=user, organisation=Organisation.objects.get(code=code), role=role
            )


def summary(name: str) -> None:
    """Counts per organisation and table of database `name`, as Markdown."""
    with psycopg.connect(f"{HOST}/{name}") as conn:
        print("| organisation | id | applications | events | appeals | years | open |")
        print("|---|---|---|---|---|---|---|")
        rows = conn.execute(
            """
            SELECT o.code, o.id,
                   (SELECT count(*) FROM cases_application a WHERE a.organisation_id = o.id),
                   (SELECT count(*) FROM cases_event e JOIN cases_application a
                        ON a.id = e.application_id WHERE a.organisation_id = o.id),
                   (SELECT count(*) FROM reports_appeal p WHERE p.organisation_id = o.id),
                   (SELECT min(year) || '–' || max(year) FROM cases_application a
                        WHERE a.organisation_id = o.id),
                   (SELECT count(*) FROM cases_application a WHERE a.organisation_id = o.id
                        AND a.status IN ('registered', 'correction', 'processing', 'consulting',
                                         'awaiting_fee', 'review', 'signoff'))
            FROM accounts_organisation o ORDER BY o.id
            """
        ).fetchall()
        for row in rows:
            print("| " + " | ".join(str(v) for v in row) + " |")
        print()
        for table in ("cases_application", "cases_event", "reports_appeal", "auth_user",
                      "accounts_membership", "accounts_organisation"):  # fmt: skip
            count = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            print(f"- {table}: {count.fetchone()[0]:,}")  # type: ignore[index]
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"- database size: {size.fetchone()[0]}")  # type: ignore[index]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "build":
        build(replace="--replace" in sys.argv)
    elif command == "summary":
        copy = "gen_scale_summary"
        create_copy(copy)
        try:
            summary(copy)
        finally:
            drop_copy(copy)
    else:
        sys.exit(__doc__)
