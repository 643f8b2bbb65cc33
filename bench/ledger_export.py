"""Ledger export to .xlsx, in rows per second.

Usage:  uv run python bench/ledger_export.py [N]      (N applications, default 100000)

Builds a temporary SQLite database (migrated, then N applications made with bulk_create: a
third of them concluded, half of those with a delivery event), exports them all with
`export_ledger` and prints the rows per second, the file size and the peak memory of the
process. One process, so the figures are for one core.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite database

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from gongkai.accounts.models import Organisation  # noqa: E402
from gongkai.cases.ledger import export_ledger  # noqa: E402
from gongkai.cases.models import Application, Event  # noqa: E402

BATCH = 5000
OUTCOMES = ("r_open", "r_partial", "r_na_notheld", "r_deny_process")
CHANNELS = ("online", "in_person", "mail", "letter")


def build(count: int) -> Organisation:
    organisation = Organisation.objects.create(code="BENCH", name="基准测试局", kind="department")
    first = dt.date(2020, 1, 1)
    for start in range(0, count, BATCH):
        apps = [
            _application(organisation, n, first) for n in range(start, min(start + BATCH, count))
        ]
        created = Application.objects.bulk_create(apps)
        events = [
            Event(application=app, action="deliver", date=app.concluded_on, data={"method": "mail"})
            for app in created
            if app.concluded_on is not None and app.sequence % 2 == 0
        ]
        Event.objects.bulk_create(events)
    return organisation


def _application(organisation: Organisation, n: int, first: dt.date) -> Application:
    received = first + dt.timedelta(days=n % 2000)
    concluded = received + dt.timedelta(days=15) if n % 3 == 0 else None
    return Application(
        organisation=organisation, year=received.year, sequence=n + 1,
        tracking_no=f"BENCH-{received.year}-{n + 1:07d}", status="replied" if concluded else "processing",
        applicant_type="natural", applicant_name=f"申请人{n}", id_type="resident_id",
        id_number="11010519491231002X", phone="13800000000", address="南阳市宛城区××路1号",
        channel=CHANNELS[n % 4], received_on=received,
        content="请公开2024年度老旧小区改造项目的立项批复、资金安排及验收文件。" * 2,
        due_on=received + dt.timedelta(days=28), extended=n % 10 == 0,
        outcome=OUTCOMES[n % 4] if concluded else "", concluded_on=concluded,
    )  # fmt: skip


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    organisation = build(count)
    print(f"built {count} applications in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    content = export_ledger(Application.objects.filter(organisation=organisation), title="台账")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    print(
        f"exported {count} rows in {seconds:.1f} s: {count / seconds:,.0f} rows/s; "
        f"file {len(content) / 1e6:.1f} MB; peak memory {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["GONGKAI_DATA_DIR"], ignore_errors=True)
