"""Publication deadlines and rules P-01…P-04, P-06 (spec.md §3.7, 条例第四十九条)."""

from __future__ import annotations

import datetime as dt

from gongkai.domain.report.findings import Severity
from gongkai.domain.report.publication import Publisher, days_left, deadline, timeliness


def test_departments_publish_by_31_january_and_governments_by_31_march() -> None:
    assert deadline(Publisher.DEPARTMENT, 2024).due == dt.date(2025, 1, 31)
    assert deadline(Publisher.GOVERNMENT, 2024).due == dt.date(2025, 3, 31)


def test_townships_use_the_local_date_and_lateness_is_a_warning() -> None:
    due = deadline(Publisher.TOWNSHIP, 2024, local_month=2, local_day=20)
    assert (due.due, due.rule, due.severity) == (dt.date(2025, 2, 20), "P-03", Severity.WARNING)


def test_before_2019_every_agency_had_until_31_march() -> None:
    due = deadline(Publisher.DEPARTMENT, 2018)
    assert (due.due, due.rule) == (dt.date(2019, 3, 31), "P-06")


def test_publishing_on_the_deadline_is_on_time_and_a_day_later_is_late() -> None:
    due = deadline(Publisher.DEPARTMENT, 2024)
    assert timeliness(2024, dt.date(2025, 1, 31), due) == []
    [late] = timeliness(2024, dt.date(2025, 2, 1), due)
    assert (late.rule, late.severity) == ("P-01", Severity.ERROR)
    assert "逾期1天" in late.message


def test_a_report_cannot_be_published_before_its_year_has_ended() -> None:
    due = deadline(Publisher.GOVERNMENT, 2025)
    for day in (dt.date(2025, 6, 30), dt.date(2025, 12, 31)):
        [early] = timeliness(2025, day, due)
        assert (early.rule, early.severity) == ("P-04", Severity.ERROR)
    assert timeliness(2025, dt.date(2026, 1, 1), due) == []


def test_days_left_counts_calendar_days_and_goes_negative() -> None:
    due = deadline(Publisher.DEPARTMENT, 2025)
    assert days_left(due, dt.date(2026, 1, 21)) == 10
    assert days_left(due, dt.date(2026, 2, 2)) == -2
