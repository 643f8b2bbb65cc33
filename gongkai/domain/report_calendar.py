"""The reporting calendar's rules, without the database: which periods a rule requires, and the
status of one organisation's report of one period.

A report is due on day `due_day` of the month after its period ends (六安: the 10th of the next
month for the monthly table; 宣城: the 12th of January, April, July and October for the quarterly
one; shared/docs/public-and-supervision.md, "Supervision cadence"). The due day itself is still in
time; a report submitted on a later (local) day is late; none by then is missing
(docs/decisions.md SV-calendar2-2).
"""

from __future__ import annotations

import datetime as dt
import enum

from gongkai.domain.periods import Period, PeriodKind


class ReportStatus(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"
    NOT_REQUIRED = "not_required"

    @property
    def label(self) -> str:
        return {
            "on_time": "已报送",
            "late": "逾期报送",
            "missing": "未报送",
            "pending": "未到期",
            "not_required": "无需报送",
        }[self.value]

    @property
    def badge(self) -> str:
        """The CSS modifier of its badge (ok / warn / bad / muted)."""
        return {
            "on_time": "ok",
            "late": "warn",
            "missing": "bad",
            "pending": "muted",
            "not_required": "muted",
        }[self.value]


def first_period(kind: PeriodKind, starts_on: dt.date) -> Period:
    """The first period a rule starting on `starts_on` requires: the one containing that day
    (a rule adopted mid-month already asks for that month's report, due next month;
    docs/decisions.md SV-calendar2-1)."""
    return Period.containing(kind, starts_on)


def is_required(period: Period, kind: PeriodKind, starts_on: dt.date) -> bool:
    return period.kind is kind and period >= first_period(kind, starts_on)


def ended_periods(kind: PeriodKind, starts_on: dt.date, today: dt.date) -> list[Period]:
    """Every period the rule requires that has ended before `today`, oldest first."""
    found: list[Period] = []
    current = Period.containing(kind, today).previous()
    first = first_period(kind, starts_on)
    while current >= first:
        found.append(current)
        current = current.previous()
    found.reverse()
    return found


def status_of(*, due_on: dt.date, submitted_on: dt.date | None, today: dt.date) -> ReportStatus:
    """`submitted_on` is the local date the report was submitted (None: not submitted)."""
    if submitted_on is not None:
        return ReportStatus.ON_TIME if submitted_on <= due_on else ReportStatus.LATE
    return ReportStatus.MISSING if today > due_on else ReportStatus.PENDING
