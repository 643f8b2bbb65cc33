"""The reporting calendar's rules without the database: which periods a rule requires, and the
status of a report at the boundaries of its due day."""

from __future__ import annotations

import datetime as dt

from gongkai.domain.periods import Period, PeriodKind
from gongkai.domain.report_calendar import (
    ReportStatus,
    ended_periods,
    first_period,
    is_required,
    status_of,
)

D = dt.date


def test_the_due_day_itself_is_in_time_the_next_day_is_late() -> None:
    due = D(2026, 4, 10)
    assert (
        status_of(due_on=due, submitted_on=D(2026, 4, 10), today=D(2026, 5, 1))
        is ReportStatus.ON_TIME
    )
    assert (
        status_of(due_on=due, submitted_on=D(2026, 4, 11), today=D(2026, 5, 1)) is ReportStatus.LATE
    )


def test_missing_only_once_the_due_day_has_passed() -> None:
    due = D(2026, 4, 10)
    assert status_of(due_on=due, submitted_on=None, today=D(2026, 4, 10)) is ReportStatus.PENDING
    assert status_of(due_on=due, submitted_on=None, today=D(2026, 4, 11)) is ReportStatus.MISSING


def test_a_rule_requires_the_period_containing_its_start_and_later() -> None:
    assert first_period(PeriodKind.MONTH, D(2026, 3, 15)) == Period.month(2026, 3)
    assert first_period(PeriodKind.QUARTER, D(2026, 5, 1)) == Period.quarter(2026, 2)
    assert is_required(Period.month(2026, 3), PeriodKind.MONTH, D(2026, 3, 15))
    assert not is_required(Period.month(2026, 2), PeriodKind.MONTH, D(2026, 3, 15))
    # a quarter is not what a monthly rule asks for
    assert not is_required(Period.quarter(2026, 2), PeriodKind.MONTH, D(2026, 3, 15))


def test_ended_periods_stop_before_the_current_one() -> None:
    months = ended_periods(PeriodKind.MONTH, D(2025, 11, 20), D(2026, 2, 1))
    assert [p.code for p in months] == ["2025-11", "2025-12", "2026-01"]
    # on the last day of January, January has not ended
    months = ended_periods(PeriodKind.MONTH, D(2025, 11, 20), D(2026, 1, 31))
    assert [p.code for p in months] == ["2025-11", "2025-12"]
    quarters = ended_periods(PeriodKind.QUARTER, D(2025, 7, 1), D(2026, 4, 1))
    assert [p.code for p in quarters] == ["2025Q3", "2025Q4", "2026Q1"]
    assert ended_periods(PeriodKind.MONTH, D(2026, 3, 1), D(2026, 3, 31)) == []


def test_labels_and_badges() -> None:
    assert [s.label for s in ReportStatus] == ["已报送", "逾期报送", "未报送", "未到期", "无需报送"]
    assert ReportStatus.MISSING.badge == "bad"
