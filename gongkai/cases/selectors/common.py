"""What the lists share: remaining working days counted with each organisation's calendar
(`calendar_for`) from the deadlines the services store on the application (`due_on`, `fee_due`),
so that a list costs a fixed number of queries whatever its length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import Application
from gongkai.domain.lifecycle import Status
from gongkai.domain.workdays import WorkdayCalendar

DUE_SOON_WORKDAYS = 3


@dataclass(frozen=True)
class Remaining:
    """How far a deadline is, in working days of the organisation's calendar."""

    due: dt.date | None
    days: int | None  # working days left (>= 0) or overdue (> 0 when `overdue`)
    overdue: bool

    @property
    def urgency(self) -> str:
        """A CSS class: red when overdue, amber when due within DUE_SOON_WORKDAYS."""
        if self.due is None:
            return ""
        if self.overdue:
            return "overdue"
        return "soon" if (self.days or 0) <= DUE_SOON_WORKDAYS else ""

    @property
    def text(self) -> str:
        if self.due is None or self.days is None:
            return ""
        if self.overdue:
            return f"已逾期{self.days}个工作日" if self.days else "已逾期"
        return f"剩余{self.days}个工作日" if self.days else "今日到期"


class Calendars:
    """One calendar per organisation, built once per request."""

    def __init__(self) -> None:
        self._cache: dict[int, WorkdayCalendar] = {}

    def of(self, organisation: Organisation) -> WorkdayCalendar:
        if organisation.pk not in self._cache:
            self._cache[organisation.pk] = calendar_for(organisation)
        return self._cache[organisation.pk]

    def remaining(
        self, organisation: Organisation, due: dt.date | None, today: dt.date
    ) -> Remaining:
        return remaining_on(self.of(organisation), due, today)


def remaining_on(calendar: WorkdayCalendar, due: dt.date | None, today: dt.date) -> Remaining:
    """Working days left until `due` (or past it) on `calendar`; nothing without a deadline."""
    if due is None:
        return Remaining(None, None, False)
    if due < today:
        return Remaining(due, calendar.workdays_between(due, today), True)
    return Remaining(due, calendar.workdays_between(today, due), False)


@dataclass(frozen=True)
class CaseRow:
    application: Application
    remaining: Remaining
    note: str = ""

    @property
    def status(self) -> Status:
        return self.application.status_enum


def with_organisation(queryset: QuerySet[Application]) -> QuerySet[Application]:
    # calendar_for walks the organisation's parents: government → department → township.
    return queryset.select_related("organisation__parent__parent")
