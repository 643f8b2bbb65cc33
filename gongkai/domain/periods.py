"""Statistical periods of 监督保障: a month (月报), a quarter (季报) or a year (年度累计).

Codes: "2026-11" (a month), "2026Q3" (a quarter), "2026" (a year). Local rules fix when a period's
report is due, counted from the day after the period ends: the 10th of the next month for the
monthly table (六安), the 12th of January, April, July and October for the quarterly one (宣城);
shared/docs/public-and-supervision.md, "Supervision cadence".
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {"month": "月度", "quarter": "季度", "year": "年度"}[self.value]


class PeriodError(ValueError):
    """A period code that cannot be read; the message is Chinese."""


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: PeriodKind
    number: int  # the month (1–12), the quarter (1–4), or 0 for the whole year

    @classmethod
    def parse(cls, code: str) -> Period:
        text = code.strip()
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise PeriodError(f"统计期“{code}”的月份无效，应为01至12")
            return cls.month(year, month)
        if m := _QUARTER.match(text):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return cls.whole_year(int(m[1]))
        raise PeriodError(
            f"无法识别统计期“{code}”：应为 YYYY-MM（月）、YYYYQn（季度）或 YYYY（年）"
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(_year(year), PeriodKind.MONTH, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(_year(year), PeriodKind.QUARTER, quarter)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(_year(year), PeriodKind.YEAR, 0)

    @classmethod
    def containing(cls, kind: PeriodKind, day: dt.date) -> Period:
        if kind is PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        if kind is PeriodKind.QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.whole_year(day.year)

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        """“2026年11月”, “2026年第三季度”, “2026年度”."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}年第{'一二三四'[self.number - 1]}季度"
        return f"{self.year}年度"

    @property
    def start(self) -> dt.date:
        first_month = {PeriodKind.MONTH: self.number, PeriodKind.QUARTER: 3 * self.number - 2}
        return dt.date(self.year, first_month.get(self.kind, 1), 1)

    @property
    def end(self) -> dt.date:
        last_month = {PeriodKind.MONTH: self.number, PeriodKind.QUARTER: 3 * self.number}
        month = last_month.get(self.kind, 12)
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def year_start(self) -> dt.date:
        """The first day of 本年累计 (year to date)."""
        return dt.date(self.year, 1, 1)

    def months(self) -> list[Period]:
        """The months the period is made of (a month: itself)."""
        return [Period.month(self.year, m) for m in range(self.start.month, self.end.month + 1)]

    def previous(self) -> Period:
        if self.kind is PeriodKind.MONTH:
            return (
                Period.month(self.year - 1, 12)
                if self.number == 1
                else Period.month(self.year, self.number - 1)
            )
        if self.kind is PeriodKind.QUARTER:
            return (
                Period.quarter(self.year - 1, 4)
                if self.number == 1
                else Period.quarter(self.year, self.number - 1)
            )
        return Period.whole_year(self.year - 1)

    def due_on(self, due_day: int) -> dt.date:
        """The day the period's report is due: day `due_day` of the month after it ends (clamped
        to that month's last day)."""
        after = self.end + dt.timedelta(days=1)
        last = calendar.monthrange(after.year, after.month)[1]
        return after.replace(day=min(max(due_day, 1), last))


def _year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise PeriodError(f"年份{year}超出可统计的范围（1990—2100）")
    return year
