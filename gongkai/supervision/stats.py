"""Periodic statistics (月报 / 季报 / 年度累计) of one organisation, built from its records by the
annual report's own build (`gongkai.reports.build.period_tables`): December's year to date is the
annual report's table 三 by construction.

The JSON (`gongkai stats --to x.json`, the frozen PeriodReport) has `org`, `period`, `start`,
`end`, `this_period` and `year_to_date`; each of the two has `t3` in the shape of the report
JSON's `tables.t3` (row keys of spec.md, seven columns)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.accounts.models import Organisation
from gongkai.domain.periods import Period
from gongkai.domain.report.model import Cells
from gongkai.reports.build import PeriodTables, period_tables


@dataclass(frozen=True)
class PeriodStatistics:
    organisation: Organisation
    period: Period
    this_period: PeriodTables
    year_to_date: PeriodTables

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.organisation.code,
            "org_name": self.organisation.name,
            "period": self.period.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "this_period": _part(self.this_period),
            "year_to_date": _part(self.year_to_date),
        }


def period_statistics(*, organisation: Organisation, period: Period) -> PeriodStatistics:
    return PeriodStatistics(
        organisation=organisation,
        period=period,
        this_period=period_tables(organisation=organisation, start=period.start, end=period.end),
        year_to_date=period_tables(
            organisation=organisation, start=period.year_start, end=period.end
        ),
    )


def _part(tables: PeriodTables) -> dict[str, Any]:
    return {"t3": _counts(tables.t3), "t4": _counts(tables.t4)}


def _counts(table: dict[str, Cells]) -> dict[str, list[int]]:
    return {key: [int(cell.as_number) for cell in cells] for key, cells in table.items()}
