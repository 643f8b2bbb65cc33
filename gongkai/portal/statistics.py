"""Public statistics of 依申请公开 per organisation, from its records (what FOI portals publish per
body): applications per year, outcomes by row of table 三, the share answered on time and the
average working days to a reply. Aggregates only: no name, number or text of any applicant.

On time (shared/docs/public-and-supervision.md, indicators): concluded by the deadline ÷
(concluded + open past the deadline). The deadline is the application's `due_on`, which the
deadline machinery (cases.services.deadlines_of, with 补正 and extensions) keeps on every change;
working days are counted on the organisation's calendar (cases.calendar.calendar_for), from the
day after receipt to the day of conclusion (条例第三十三条 counts 工作日 so).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import Application
from gongkai.cases.services import deadlines_of
from gongkai.domain.lifecycle import Status, outcomes
from gongkai.domain.workdays import WorkdayCalendar


@dataclass(frozen=True)
class OutcomeCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class YearStatistics:
    year: int
    received: int
    concluded: int
    open: int
    on_time: int
    overdue: int  # concluded late + open past the deadline
    outcomes: list[OutcomeCount]
    average_workdays: float | None

    @property
    def on_time_percent(self) -> float | None:
        judged = self.on_time + self.overdue
        return round(100 * self.on_time / judged, 1) if judged else None


COUNTED_FIELDS = ("id", "received_on", "concluded_on", "due_on", "status", "outcome")


def organisation_statistics(organisation: Organisation, today: dt.date) -> list[YearStatistics]:
    """One row per year of receipt, newest first; voided records (entered in error) are left
    out, as in the annual report."""
    rows = list(
        Application.objects.filter(organisation=organisation)
        .exclude(status=Status.VOIDED)
        .only(*COUNTED_FIELDS)
    )
    by_year: dict[int, list[Application]] = {}
    for row in rows:
        by_year.setdefault(row.received_on.year, []).append(row)
    calendar = calendar_for(organisation)
    return [
        _year(year, items, today, calendar) for year, items in sorted(by_year.items(), reverse=True)
    ]


def _year(
    year: int, items: list[Application], today: dt.date, calendar: WorkdayCalendar
) -> YearStatistics:
    concluded = [a for a in items if a.concluded_on is not None]
    open_ = [a for a in items if Status(a.status).is_open]
    on_time = sum(1 for a in concluded if _on_time(a, calendar))
    late_open = sum(1 for a in open_ if a.due_on is not None and a.due_on < today)
    days = [calendar.workdays_between(a.received_on, a.concluded_on or today) for a in concluded]
    return YearStatistics(
        year=year,
        received=len(items),
        concluded=len(concluded),
        open=len(open_),
        on_time=on_time,
        overdue=len(concluded) - on_time + late_open,
        outcomes=_outcomes(concluded),
        average_workdays=round(sum(days) / len(days), 1) if days else None,
    )


def _on_time(application: Application, calendar: WorkdayCalendar) -> bool:
    due = application.due_on
    if due is None:  # a record from before the deadlines were kept on the row
        result = deadlines_of(application, application.concluded_on, calendar=calendar)
        due = result.extended_reply_due or result.reply_due
    concluded = application.concluded_on
    return due is None or concluded is None or concluded <= due


def _outcomes(concluded: list[Application]) -> list[OutcomeCount]:
    """The rows of table 三 with at least one application, in the table's order."""
    counts = Counter(a.outcome for a in concluded if a.outcome)
    return [OutcomeCount(o.key, o.label, counts[o.key]) for o in outcomes() if counts[o.key]]
