"""The public catalogue (公开目录) at 10,000 and 100,000 items on PostgreSQL: search and the 专栏's
catalogue page, p50 and p95, side by side with a hand-written baseline query.

Usage:  uv run python bench/catalogue_search.py [--sizes 10000 100000] [--runs 60] [--keep]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). The database `--database`
(default h_catalogue_search) is dropped if it exists, created and migrated (so the pg_trgm GIN
index of reports migration 0004 is there), and filled with one organisation (BENCH) whose items
are made with bulk_create: titles, 文号, 索引号 and a body of about 300 characters drawn from a
vocabulary of administrative phrases, a few rare ones, spread over 2016–2025, 主题 and 体裁 from
the tables. Then, for each size, in this one process:

- `selector`: gongkai.reports.catalogue.search (the first page, 20 items) for each query below;
- `baseline`: the query an office would write by hand: ILIKE '%…%' on title, 文号, 索引号 and body
  (OR), same filters, ORDER BY 发布日期 DESC LIMIT 21 — no trigram column;
- `page`: GET /open/BENCH/catalogue/?… through Django's test client (view, selector, the 主题
  column counts, template), i.e. the 专栏 catalogue page without the network.

Each figure is over `--runs` runs after one warm-up run. The database is dropped at the end
unless --keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"

WORDS = (
    "关于", "印发", "进一步", "加强", "做好", "开展", "实施", "工作", "通知", "意见", "方案", "办法",
    "防汛抗旱", "安全生产", "乡村振兴", "营商环境", "义务教育", "医疗保障", "养老服务", "就业创业",
    "城乡建设", "生态环境", "财政预算", "政府采购", "应急管理", "食品安全", "疫情防控", "社会救助",
    "老旧小区改造", "河长制", "招商引资", "项目建设", "质量提升", "专项整治", "督查检查", "考核",
)  # fmt: skip
RARE = "垃圾分类示范片区"  # in one item of about 10,000
GENRES = ("tongzhi", "yijian", "gonggao", "jueding", "baogao", "han", "jiedu", "guihua")
PAGE_Q = (
    ("no query (first page, columns)", {}),
    ("common word 通知", {"q": "通知"}),
    ("phrase 防汛抗旱", {"q": "防汛抗旱"}),
    ("two words 营商环境 专项整治", {"q": "营商环境 专项整治"}),
    (f"rare phrase {RARE}", {"q": RARE}),
    ("文号 宛政办〔2023〕1234号", {"q": "宛政办〔2023〕1234号"}),
    ("索引号 (exact)", {"q": "__INDEX__"}),
    ("no match 不存在的词语", {"q": "不存在的词语"}),
    ("filters 主题09 + 2024", {"topic": "09", "year": "2024"}),
    ("phrase + 有效性 废止", {"q": "安全生产", "validity": "repealed"}),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--database", default="h_catalogue_search")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    database = args.database
    _psql(f"DROP DATABASE IF EXISTS {database}")
    _psql(f"CREATE DATABASE {database}")
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-catbench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    try:
        _run(args.sizes, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _psql(f"DROP DATABASE IF EXISTS {database}")


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)


def _run(sizes: list[int], runs: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from gongkai.accounts.models import Organisation

    organisation = Organisation.objects.create(code="BENCH", name="基准测试局", kind="department")
    print(f"PostgreSQL {connection.pg_version}, pg_trgm index: {_has_index(connection)}")
    made = 0
    rng = random.Random(11)
    for size in sorted(sizes):
        started = time.perf_counter()
        index_no = _fill(organisation, made, size, rng)
        made = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE reports_proactiveitem")  # what autovacuum does
        print(f"\n== {size:,} items (filled in {time.perf_counter() - started:.0f} s) ==")
        print(f"{'query':<36} {'selector p50/p95 ms':>20} {'baseline p50/p95 ms':>20} "
              f"{'page p50/p95 ms':>17}")  # fmt: skip
        for label, params in PAGE_Q:
            params = {k: (index_no if v == "__INDEX__" else v) for k, v in params.items()}
            ours = _timed(lambda p=params: _selector(organisation, p), runs)
            base = _timed(lambda p=params: _baseline(organisation.pk, p), runs)
            page = _timed(lambda p=params: _page(p), runs)
            print(f"{label:<36} {_fmt(ours):>20} {_fmt(base):>20} {_fmt(page):>17}")


def _has_index(connection: object) -> bool:
    from django.db import connection as conn

    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'proactive_search_trgm'")
        return cursor.fetchone() is not None


def _fill(organisation: object, start: int, end: int, rng: random.Random) -> str:
    from gongkai.domain.catalogue import IndexRule, topics
    from gongkai.reports.catalogue_rules import search_text
    from gongkai.reports.models import ProactiveItem

    rule = IndexRule(org_code="BENCH")
    codes = topics().codes
    batch: list[ProactiveItem] = []
    sample = ""
    for n in range(start, end):
        day = dt.date(2016, 1, 1) + dt.timedelta(days=n * 3653 // 100_000 % 3653)
        title = "".join(rng.sample(WORDS, 5)) + ("" if n % 10_000 != 7 else RARE)
        number = f"宛政办〔{day.year}〕{n % 5000 + 1}号"
        body = "".join(rng.choice(WORDS) for _ in range(60))
        index_no = rule.format(codes[n % len(codes)], day.year, n + 1)
        sample = sample or index_no
        validity = "repealed" if n % 13 == 0 else "valid"
        batch.append(
            ProactiveItem(
                organisation=organisation,  # type: ignore[misc]
                title=title,
                published_on=day,
                written_on=day - dt.timedelta(days=5),
                index_no=index_no,
                doc_number=number,
                topic=codes[n % len(codes)],
                genre=GENRES[n % len(GENRES)],
                validity=validity,
                validity_changed_on=day if validity != "valid" else None,
                body=body,
                search_text=search_text(title, number, index_no, "", body),
            )
        )
        if len(batch) == 5000:
            ProactiveItem.objects.bulk_create(batch)
            batch = []
    ProactiveItem.objects.bulk_create(batch)
    return sample


def _selector(organisation: object, params: dict[str, str]) -> int:
    from gongkai.reports import catalogue

    query = catalogue.CatalogueQuery(
        text=params.get("q", ""),
        topic=params.get("topic", ""),
        validity=params.get("validity", ""),
        year=int(params["year"]) if "year" in params else None,
    )
    page = catalogue.search(organisation, query, today=dt.date(2026, 1, 1))  # type: ignore[arg-type]
    return len(page.items)


def _baseline(organisation_id: int, params: dict[str, str]) -> int:
    """The hand-written query: ILIKE on four columns, no search column, no trigram index."""
    from django.db import connection

    sql = [
        "SELECT id, title, index_no, doc_number, published_on FROM reports_proactiveitem",
        "WHERE organisation_id = %s AND published_on <= %s AND withdrawn_at IS NULL",
    ]
    args: list[object] = [organisation_id, dt.date(2026, 1, 1)]
    for word in params.get("q", "").split():
        sql.append(
            "AND (title ILIKE %s OR doc_number ILIKE %s OR index_no ILIKE %s OR body ILIKE %s)"
        )
        args += [f"%{word}%"] * 4
    if "topic" in params:
        sql.append("AND topic = %s")
        args.append(params["topic"])
    if "validity" in params:
        sql.append("AND validity = %s")
        args.append(params["validity"])
    if "year" in params:
        sql.append("AND published_on BETWEEN %s AND %s")
        year = int(params["year"])
        args += [dt.date(year, 1, 1), dt.date(year, 12, 31)]
    sql.append("ORDER BY published_on DESC, id DESC LIMIT 21")
    with connection.cursor() as cursor:
        cursor.execute(" ".join(sql), args)
        return len(cursor.fetchall())


_client = None


def _page(params: dict[str, str]) -> int:
    global _client
    from django.test import Client

    if _client is None:
        _client = Client()
    response = _client.get("/open/BENCH/catalogue/?" + urlencode(params))
    if response.status_code != 200:
        raise SystemExit(f"catalogue page answered {response.status_code}")
    return len(response.content)


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _fmt(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return f"{statistics.median(ordered):.1f} / {p95:.1f}"


if __name__ == "__main__":
    main()
