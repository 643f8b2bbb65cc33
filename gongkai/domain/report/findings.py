"""What a rule reports: a rule id of spec.md §3, a severity, a location and a Chinese message."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a report.

    `where` uses the table and row/column keys of spec.md §1.4–1.6, e.g. `t3.r_open.other_org`,
    `t4.review.total`, `t2.normative_documents.in_force`, or `s5` for a section.
    """

    rule: str
    severity: Severity
    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "where": self.where,
            "message": self.message,
        }
