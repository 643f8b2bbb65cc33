"""The annual report built from records: build, check, PDF and a whole publication, in seconds.

Usage:  uv run python bench/report_build.py [N]      (N applications in the year, default 20000)

A temporary SQLite database holds one department with N applications received over 2024 (a
third concluded in the year with one of four outcomes, the rest carried over) plus the demo
office. Prints the best of 3 for: building the tables from the records, the pre-publish check
(all rules), the PDF export (Chromium) and a complete publication (docx, pdf, html, json stored
with their hashes) of the demo office's 2024 report. One process, so the figures are for one core
(Chromium runs in its own process).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

from gongkai.accounts.models import Organisation  # noqa: E402
from gongkai.cases.demo import load_demo  # noqa: E402
from gongkai.cases.models import Application  # noqa: E402
from gongkai.pdf import report_pdf  # noqa: E402
from gongkai.reports.checks import current_report, pre_publish  # noqa: E402
from gongkai.reports.demo import load_register_demo  # noqa: E402
from gongkai.reports.models import ReportVersion, ReportVersionFile  # noqa: E402
from gongkai.reports.services import report_publish  # noqa: E402

TODAY = dt.date(2026, 11, 26)
OUTCOMES = ("r_open", "r_partial", "r_na_notheld", "r_deny_process")
TYPES = ("natural", "natural", "natural", "biz", "legal", "other_org")


def build(count: int) -> Organisation:
    organisation = Organisation.objects.create(code="BENCH", name="基准测试局", kind="department")
    apps = []
    for n in range(count):
        received = dt.date(2024, 1, 1) + dt.timedelta(days=n % 365)
        concluded = received + dt.timedelta(days=15) if n % 3 == 0 else None
        if concluded and concluded.year > 2024:
            concluded = None
        apps.append(
            Application(
                organisation=organisation,
                year=2024,
                sequence=n + 1,
                tracking_no=f"BENCH-2024-{n + 1:07d}",
                status="replied" if concluded else "processing",
                applicant_type=TYPES[n % 6],
                applicant_name=f"申请人{n}",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone="13800000000",
                channel="online",
                received_on=received,
                content="请公开某项目的批复文件。",
                outcome=OUTCOMES[n % 4] if concluded else "",
                concluded_on=concluded,
            )
        )
    Application.objects.bulk_create(apps, batch_size=5000)
    return organisation


def best(label: str, action: Callable[[], object], runs: int = 3) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    print(f"{label:<44} {min(times):8.3f} s")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    call_command("migrate", verbosity=0)
    load_demo(today=TODAY)
    load_register_demo()
    bench_org = build(count)
    office = Organisation.objects.get(code="WCBGS")
    print(f"{count} applications in 2024 for BENCH; demo office WCBGS (36)")
    best(f"build tables, {count} applications", lambda: current_report(bench_org, 2024))
    best(f"pre-publish check, {count} applications", lambda: pre_publish(bench_org, 2024, TODAY))
    best("build tables, demo office", lambda: current_report(office, 2024))
    report = current_report(office, 2024).report
    best("PDF export (Chromium), demo office", lambda: report_pdf(report))
    reviewer = User.objects.get(username="reviewer")

    def publish() -> None:
        # Versions are protected from deletion in the app; the benchmark starts over each run.
        ReportVersionFile.objects.filter(version__organisation=office).delete()
        ReportVersion.objects.filter(organisation=office).delete()
        report_publish(actor=reviewer, organisation=office, year=2024, acknowledged=True,
                       today=TODAY)  # fmt: skip

    best("publish (4 files + hashes), demo office", publish)


if __name__ == "__main__":
    main()
