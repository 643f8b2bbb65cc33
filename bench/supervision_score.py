"""The 考核 scorecard of a big government (`gongkai score --gov GOV --year 2026`), against a
hand-written SQL query of its largest indicator.

Usage:  uv run python bench/supervision_score.py [--orgs 200] [--per-org 5000] [--keep]
                                                 [--database bench_stats] [--runs 3]

Uses the data of bench/supervision_stats.py (same generator, same database by default, so a run of
either with `--keep` serves both): one government and `--orgs` − 1 departments, `--per-org`
applications each from 2025-01 to 2026-11, some replied after their deadline, some still open.
Adds, once, a published 2025 report for every organisation (its tables built from its records,
stored as ReportVersion data, published on time for half of them and late for the others), a
monthly reporting rule with most months submitted, and items without 索引号.

Timed, best of `--runs`:
- `scorecard(government, 2026)`: every indicator for every organisation, the rule engine on each
  organisation's published 2025 report included;
- the same without the reports (the report indicators switched off), to show what they cost;
- the baseline: one hand-written SQL query counting each organisation's overdue replies of 2026
  (the `overdue_reply` indicator alone); its counts are checked equal to the scorecard's.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from supervision_stats import best, prepared_database  # noqa: E402

TODAY = dt.date(2026, 12, 4)


def add_score_records() -> None:
    """Published 2025 reports, a monthly rule with its submissions, and a few catalogue items."""
    from django.utils import timezone

    from gongkai.accounts.models import Organisation
    from gongkai.domain.periods import Period
    from gongkai.domain.report.renderers.json import report_to_dict
    from gongkai.reports.build import build_annual_report
    from gongkai.reports.models import ProactiveItem, ReportVersion
    from gongkai.supervision.models import PeriodReport, ReportingRule

    if ReportVersion.objects.exists():
        return
    government = Organisation.objects.get(code="GOV")
    ReportingRule.objects.create(
        government=government, kind="month", due_day=10, starts_on=dt.date(2026, 1, 1)
    )
    versions, submissions, items = [], [], []
    for n, org in enumerate(Organisation.objects.order_by("code")):
        data = report_to_dict(build_annual_report(organisation=org, year=2025).report)
        published = dt.date(2026, 1, 20) if n % 2 else dt.date(2026, 2, 10)
        versions.append(ReportVersion(organisation=org, year=2025, number=1,
                                      published_on=published, data=data, sha256="0" * 64))  # fmt: skip
        for month in range(1, 11):
            if (n + month) % 7 == 0:
                continue  # missing
            period = Period.month(2026, month)
            due = period.due_on(10)
            day = due + dt.timedelta(days=3 if (n + month) % 5 == 0 else -2)
            submissions.append(PeriodReport(
                organisation=org, period=period.code, kind="month", due_on=due,
                submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))), data={},
            ))  # fmt: skip
        for i in range(3):
            items.append(
                ProactiveItem(
                    organisation=org, title=f"通知{i}", published_on=dt.date(2026, 3, 2 + i)
                )
            )
    ReportVersion.objects.bulk_create(versions)
    PeriodReport.objects.bulk_create(submissions)
    ProactiveItem.objects.bulk_create(items)


def baseline(ids: list[int], year: int, today: dt.date) -> dict[int, int]:
    """Overdue replies per organisation: replied late in the year, or open past a deadline of
    the year (the `overdue_reply` indicator), in one GROUP BY."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT organisation_id, count(*) FROM cases_application
            WHERE organisation_id = ANY(%s)
              AND status NOT IN ('voided', 'submitted', 'not_accepted')
              AND ((concluded_on >= %s AND concluded_on <= %s AND due_on IS NOT NULL
                    AND concluded_on > due_on)
                OR (status IN ('registered', 'correction', 'processing', 'consulting',
                               'awaiting_fee', 'review')
                    AND due_on >= %s AND due_on <= %s AND due_on < %s))
            GROUP BY organisation_id
            """,
            [ids, dt.date(year, 1, 1), dt.date(year, 12, 31),
             dt.date(year, 1, 1), dt.date(year, 12, 31), today],
        )  # fmt: skip
        return dict(cursor.fetchall())


def main() -> None:
    args = prepared_database()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.accounts.models import Organisation
    from gongkai.cases.models import Application
    from gongkai.supervision.models import IndicatorOverride
    from gongkai.supervision.scorecard import scorecard

    started = time.perf_counter()
    add_score_records()
    print(f"score records ready in {time.perf_counter() - started:.0f} s")
    connection.cursor().execute("ANALYZE")
    government = Organisation.objects.get(code="GOV")
    with CaptureQueriesContext(connection) as captured:
        card = scorecard(government=government, year=2026, today=TODAY)
    print(f"{len(card.rows)} organisations, {Application.objects.count():,} applications; "
          f"{len(captured.captured_queries)} queries for one scorecard")  # fmt: skip
    t_card, card = best(lambda: scorecard(government=government, year=2026, today=TODAY), args.runs)
    ids = [row.organisation.id for row in card.rows]
    t_base, counts = best(lambda: baseline(ids, 2026, TODAY), args.runs)
    ours = {row.organisation.id: len(next((d.evidence for d in row.score.deductions
                                           if d.indicator.key == "overdue_reply"), ()))
            for row in card.rows}  # fmt: skip
    if {k: v for k, v in ours.items() if v} != counts:
        sys.exit("the scorecard's overdue replies differ from the baseline's")
    for key in ("report_late", "report_errors", "report_copied"):
        IndicatorOverride.objects.update_or_create(
            government=government, key=key, defaults={"points": 0, "cap": 0, "enabled": False}
        )
    t_light, _ = best(lambda: scorecard(government=government, year=2026, today=TODAY), args.runs)
    IndicatorOverride.objects.filter(government=government).delete()
    deductions = sum(len(row.score.deductions) for row in card.rows)
    evidence = sum(len(d.evidence) for row in card.rows for d in row.score.deductions)
    print(f"{deductions:,} deductions with {evidence:,} pieces of evidence; "
          f"overdue replies equal the baseline's ({sum(counts.values()):,})")  # fmt: skip
    print(f"{'':52} {'seconds':>8} {'ratio':>7}")
    print(
        f"{'scorecard, every indicator (200 reports checked)':52} {t_card:8.2f} {t_card / t_base:6.1f}×"
    )
    print(f"{'scorecard without the report indicators':52} {t_light:8.2f} {t_light / t_base:6.1f}×")
    print(f"{'baseline: overdue replies per organisation, SQL':52} {t_base:8.2f} {1:6.1f}×")


if __name__ == "__main__":
    main()
