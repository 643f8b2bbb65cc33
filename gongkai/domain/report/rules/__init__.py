"""The rule engine of the annual report (spec.md §3): `check_report` runs every registered rule.

Rules are split by concern — structure.py (S-, F-), table2.py, table3.py, table4.py,
narrative.py (N-), crossyear.py (X-, T2-02), copying.py (D-, 雷同) — and each registers itself in the registry with
its id, severity, Chinese title and source. Findings come back in document order.
"""

from __future__ import annotations

from gongkai.domain.report.findings import Finding
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules import (  # noqa: F401  (importing registers the rules)
    copying,
    crossyear,
    narrative,
    structure,
    table2,
    table3,
    table4,
)
from gongkai.domain.report.rules.context import (
    DEFAULT_CONTEXT,
    AdminTier,
    AgencyLevel,
    CheckContext,
    guess_admin_tier,
    guess_agency_level,
)
from gongkai.domain.report.rules.order import document_order
from gongkai.domain.report.rules.registry import Rule, all_rules, get_rule, rules_markdown

__all__ = [
    "AdminTier",
    "AgencyLevel",
    "CheckContext",
    "Rule",
    "all_rules",
    "check_report",
    "get_rule",
    "guess_admin_tier",
    "guess_agency_level",
    "rules_markdown",
]


def check_report(
    report: AnnualReport,
    previous: AnnualReport | None = None,
    *,
    context: CheckContext = DEFAULT_CONTEXT,
) -> list[Finding]:
    """Every finding of every rule, in document order, then rule order.

    `previous` is the same agency's report for the year before; without it the cross-year
    rules (X-, T2-02) do not run. Validation failures are findings, never exceptions.
    """
    findings = [f for rule in all_rules() for f in rule.run(report, previous, context)]
    return sorted(findings, key=document_order(report))
