"""Ledger import and export on PostgreSQL, in rows per second, each beside its baseline.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/import_bench \\
        uv run python bench/ledger_import_export.py [--import 10000,100000] \\
        [--export 10000,100000,1000000] [--orgs CODE,CODE,...] [--old 300]

The database is migrated first. Import: an .xlsx of N rows shaped like an office's ledger (a third
concluded, some delivered; openpyxl, in memory) is imported into a new organisation by the
application's path (`read_ledger` → `validate_rows` → `import_rows`: one read, one check, bulk
insert through the services' builders), beside the baseline: openpyxl's read-only reader alone
plus `bulk_create` of the same number of applications and two events each, no checks. `--old N`
also times N rows through `application_register` + `application_import_conclusion` one at a
time (the import of main). The duplicate check is timed on its own against the largest
organisation (`validate_rows` of a 10,000-row file).

Export: the organisations named by `--orgs` (e.g. those of the shared scale template), else new
ones of the sizes of `--export` built with bulk inserts; for each, the .xlsx (`write_ledger_xlsx`
to a temporary file), the .csv (`ledger_csv`, all of it consumed) and the baseline: psycopg's
COPY (the same SELECT Django runs) TO STDOUT as CSV, read whole. One process: one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL=postgres://… is required (this bench is for PostgreSQL)")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from gongkai.accounts.models import Membership, Organisation  # noqa: E402
from gongkai.cases.ledger import (  # noqa: E402
    _conclusion,
    _registration,
    guess_mapping,
    import_rows,
    ledger_csv,
    ledger_query,
    read_ledger,
    validate_rows,
    write_ledger_xlsx,
)
from gongkai.cases.models import Application, Event  # noqa: E402
from gongkai.cases.services import (  # noqa: E402
    application_import_conclusion,
    application_register,
)
from gongkai.domain.lifecycle import Role  # noqa: E402

TODAY = dt.date(2025, 12, 31)
VALID_ID = "11010519491231002X"
HEADERS = ["序号", "申请人姓名", "申请人类别", "身份证号", "联系电话", "通讯地址", "申请渠道",
           "受理日期", "申请公开内容", "办结日期", "处理结果", "送达方式"]  # fmt: skip
KINDS = ("自然人", "自然人", "自然人", "企业", "律师事务所", "其他组织")
CHANNELS = ("网上申请", "当面", "邮寄", "信函")
OUTCOMES = ("予以公开", "部分公开", "本机关不掌握", "不予公开-过程性信息")
DELIVERY = ("当面送达", "邮寄送达", "电子邮件送达", None)
_ORG = [0]


def ledger_file(count: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet("台账")
    sheet.append(HEADERS)
    for n in range(count):
        received = dt.date(2024, 1, 1) + dt.timedelta(days=n % 700)
        replied = received + dt.timedelta(days=15) if n % 3 == 0 else None
        sheet.append([
            n + 1, f"申请人{n}", KINDS[n % 6], VALID_ID, "13800000000", "南阳市宛城区××路1号",
            CHANNELS[n % 4], received, f"请公开第{n}号项目的立项批复、资金安排及验收文件",
            replied, OUTCOMES[n % 4] if replied else None,
            DELIVERY[n % 4] if replied else None,
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def organisation(prefix: str) -> Organisation:
    _ORG[0] += 1
    code = f"{prefix}{os.getpid() % 1000}X{_ORG[0]}"
    return Organisation.objects.create(code=code, name=f"基准{code}", kind="department")


def reviewer(org: Organisation) -> User:
    user, _ = User.objects.get_or_create(username="bench-reviewer")
    Membership.objects.get_or_create(user=user, organisation=org, role=Role.REVIEWER)
    return user


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


# ---------------------------------------------------------------- import


def bench_import(count: int) -> None:
    data = ledger_file(count)
    org = organisation("IMP")
    user = reviewer(org)
    read_s, sheet = timed(lambda: read_ledger(data))
    check_s, reports = timed(
        lambda: validate_rows(sheet, guess_mapping(sheet.headers), org, today=TODAY)
    )
    assert all(r.ok for r in reports), [r.problems for r in reports if not r.ok][:3]
    write_s, result = timed(
        lambda: import_rows(
            actor=user,
            organisation=org,
            rows=reports,
            only_valid=False,
            source="bench.xlsx",
            today=TODAY,
        )
    )
    assert len(result.imported) == count
    ours = read_s + check_s + write_s
    base_org = organisation("BASE")
    base_s, _ = timed(lambda: baseline_import(data, base_org))
    print(
        f"import {count:>9,} rows: {count / ours:>9,.0f} rows/s ({ours:6.1f} s: read {read_s:.1f}, "
        f"check {check_s:.1f}, write {write_s:.1f}; {len(data) / 1e6:.1f} MB) | baseline openpyxl "
        f"+ bulk_create {count / base_s:>9,.0f} rows/s ({base_s:.1f} s) | ratio {ours / base_s:.2f}×"
    )


def baseline_import(data: bytes, org: Organisation) -> None:
    """openpyxl's read-only reader and bulk inserts of what the cells say, nothing checked."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
    apps = []
    for n, cells in enumerate(rows, 1):
        values = (*cells, *(None,) * (len(HEADERS) - len(cells)))  # short rows: empty cells left
        received = values[7].date()
        apps.append(Application(
            organisation=org, year=received.year, sequence=n, tracking_no=f"{org.code}-{n:07d}",
            applicant_type="natural", applicant_name=values[1], id_type="resident_id",
            id_number=values[3], phone=values[4], address=values[5], channel="online",
            received_on=received, content=values[8], due_on=received,
            concluded_on=values[9].date() if values[9] else None,
        ))  # fmt: skip
    workbook.close()
    Application.objects.bulk_create(apps, batch_size=2000)
    events = [
        Event(application=app, action=action, date=app.received_on, data={"n": 1})
        for app in apps
        for action in ("register", "import")
    ]
    Event.objects.bulk_create(events, batch_size=2000)


def bench_old(count: int) -> None:
    """The import of main: each row through the services one by one."""
    data = ledger_file(count)
    org = organisation("OLD")
    user = reviewer(org)
    sheet = read_ledger(data)
    reports = validate_rows(sheet, guess_mapping(sheet.headers), org, today=TODAY)

    def one_by_one() -> None:
        for report in reports:
            assert report.row is not None
            app = application_register(actor=user, organisation=org,
                                       data=_registration(report.row), today=TODAY, notify=False)  # fmt: skip
            application_import_conclusion(actor=user, application=app, source="b.xlsx",
                                          row=report.number, conclusion=_conclusion(report.row),
                                          today=TODAY)  # fmt: skip

    seconds, _ = timed(one_by_one)
    print(
        f"import {count:>9,} rows one by one through the services (main): {count / seconds:,.0f} rows/s"
    )


def bench_duplicates(org: Organisation) -> None:
    """The duplicate check of a 10,000-row file against an organisation with a long history."""
    history = Application.objects.filter(organisation=org).count()
    sheet = read_ledger(ledger_file(10_000))
    mapping = guess_mapping(sheet.headers)
    seconds, _ = timed(lambda: validate_rows(sheet, mapping, org, today=TODAY))
    plain = organisation("EMPTY")
    empty_s, _ = timed(lambda: validate_rows(sheet, mapping, plain, today=TODAY))
    print(
        f"check of 10,000 rows against {history:,} applications: {seconds:.2f} s "
        f"(against none: {empty_s:.2f} s; the duplicate check {seconds - empty_s:+.2f} s)"
    )


# ---------------------------------------------------------------- export


def build_history(count: int) -> Organisation:
    """An organisation with `count` applications (bulk insert; a third concluded)."""
    org = organisation("EXP")
    first = dt.date(2016, 1, 1)
    for start in range(0, count, 10_000):
        apps = []
        for n in range(start, min(start + 10_000, count)):
            received = first + dt.timedelta(days=n % 3600)
            concluded = received + dt.timedelta(days=15) if n % 3 == 0 else None
            apps.append(Application(
                organisation=org, year=received.year, sequence=n + 1,
                tracking_no=f"{org.code}-{received.year}-{n + 1:07d}",
                status="delivered" if concluded else "processing", applicant_type="natural",
                applicant_name=f"申请人{n}", id_type="resident_id", id_number=VALID_ID,
                phone="13800000000", address="南阳市宛城区××路1号", channel="online",
                received_on=received, content="请公开老旧小区改造项目的立项批复、资金安排及验收文件。",
                due_on=received + dt.timedelta(days=28), outcome="r_open" if concluded else "",
                concluded_on=concluded,
            ))  # fmt: skip
        created = Application.objects.bulk_create(apps, batch_size=5000)
        Event.objects.bulk_create(
            [
                Event(application=a, action="deliver", date=a.concluded_on, data={"method": "mail"})
                for a in created
                if a.concluded_on
            ],
            batch_size=5000,
        )
    return org


def bench_export(org: Organisation) -> None:
    queryset = Application.objects.filter(organisation=org)
    count = queryset.count()
    with tempfile.TemporaryFile() as scratch:
        xlsx_s, rows = timed(lambda: write_ledger_xlsx(queryset, scratch, title="台账"))
    assert rows == count
    first_s, _ = timed(lambda: first_rows(queryset))
    csv_s, size = timed(lambda: sum(len(piece) for piece in ledger_csv(queryset)))
    copy_s, copied = timed(lambda: copy_out(queryset))
    print(
        f"export {count:>9,} rows: xlsx {count / xlsx_s:>8,.0f} rows/s ({xlsx_s:6.1f} s) | csv "
        f"{count / csv_s:>8,.0f} rows/s ({csv_s:5.1f} s, {size / 1e6:.0f} MB) | baseline COPY TO "
        f"{count / copy_s:>9,.0f} rows/s ({copy_s:4.1f} s, {copied / 1e6:.0f} MB) | csv/COPY "
        f"{csv_s / copy_s:.1f}× | first csv rows after {first_s:.1f} s"
    )


def first_rows(queryset: Any) -> None:
    """What a browser waits for before the download starts: the header and the first rows."""
    pieces = ledger_csv(queryset)
    next(pieces)
    next(pieces, None)
    pieces.close()


def copy_out(queryset: Any) -> int:
    """The same SELECT as the export (columns, latest delivery, order), by COPY … TO STDOUT."""
    sql, params = ledger_query(queryset).query.sql_with_params()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        size = 0
        literal = raw.mogrify(sql, params)
        with raw.copy(f"COPY ({literal}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                size += len(block)
    return size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import", dest="imports", default="10000,100000")
    parser.add_argument("--export", default="10000,100000,1000000")
    parser.add_argument("--orgs", default="", help="export these organisations (codes)")
    parser.add_argument("--old", type=int, default=0)
    parser.add_argument("--skip-export", action="store_true", help="the duplicate check only")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {connection.pg_version}; {os.cpu_count()} cores")
    if args.old:
        bench_old(args.old)
    for count in (int(n) for n in args.imports.split(",") if n):
        bench_import(count)
    if args.orgs:
        orgs = [Organisation.objects.get(code=code) for code in args.orgs.split(",")]
    else:
        orgs = [build_history(int(n)) for n in args.export.split(",") if n]
    for org in orgs if not args.skip_export else []:
        bench_export(org)
    biggest = max(orgs, key=lambda o: Application.objects.filter(organisation=o).count())
    bench_duplicates(biggest)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["GONGKAI_DATA_DIR"], ignore_errors=True)
