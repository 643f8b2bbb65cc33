"""The rule registry: every rule's id, severity, Chinese title, source and function, as data.

Rules register themselves with `@single_rule(...)` / `@cross_rule(...)` / `batch_rule(...)` next to
their code, so a rule's metadata cannot drift from its function. A batch rule (D-02) compares the
reports of a batch with one another: `check_report` skips it, the batch audit runs it. The CLI lists `all_rules()`, and docs/rules.md
is generated from it by `rules_markdown()` (a test keeps the two equal).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules.context import CheckContext

SingleCheck = Callable[[AnnualReport, CheckContext], list[Finding]]
CrossCheck = Callable[[AnnualReport, AnnualReport, CheckContext], list[Finding]]
# Items with .name, .report, .agency, .year → findings per item name.
BatchCheck = Callable[[Sequence[Any]], dict[str, list[Finding]]]


@dataclass(frozen=True)
class Rule:
    """One consistency rule of spec.md §3 (or added by the project, like S-09)."""

    id: str
    severity: Severity
    title: str  # what it checks, in Chinese
    source: str  # template row, 条例 article or spec section
    single: SingleCheck | None = None
    cross: CrossCheck | None = None  # needs the previous year's report
    batch: BatchCheck | None = None  # compares the reports of a batch (not run by check_report)

    @property
    def cross_year(self) -> bool:
        return self.cross is not None

    @property
    def check(self) -> SingleCheck | CrossCheck | BatchCheck | None:
        return self.single or self.cross or self.batch

    def run(
        self, report: AnnualReport, previous: AnnualReport | None, context: CheckContext
    ) -> list[Finding]:
        if self.single is not None:
            return self.single(report, context)
        if self.cross is not None and previous is not None:
            return self.cross(report, previous, context)
        return []


_REGISTRY: dict[str, Rule] = {}

# Families in the order of spec.md §3, so listings and findings read like the spec.
_FAMILY_ORDER = ("S", "F", "T2", "T3", "T4", "N", "X", "D")


def rule_order(rule_id: str) -> tuple[int, int]:
    """Sort key of a rule id: family as in spec.md §3, then number (S-09 before F-01)."""
    family, _, number = rule_id.rpartition("-")
    rank = _FAMILY_ORDER.index(family) if family in _FAMILY_ORDER else len(_FAMILY_ORDER)
    return rank, int(number) if number.isdigit() else 0


def _register(rule: Rule) -> None:
    # Two functions claiming one id would make the registry lie about what runs.
    if rule.id in _REGISTRY:
        raise ValueError(f"rule {rule.id} registered twice")
    _REGISTRY[rule.id] = rule


def single_rule(
    rule_id: str, severity: Severity, title: str, *, source: str
) -> Callable[[SingleCheck], SingleCheck]:
    """Register a rule that looks at one report."""

    def wrap(check: SingleCheck) -> SingleCheck:
        _register(Rule(rule_id, severity, title, source, single=check))
        return check

    return wrap


def cross_rule(
    rule_id: str, severity: Severity, title: str, *, source: str
) -> Callable[[CrossCheck], CrossCheck]:
    """Register a rule that compares a report with the same agency's previous-year report."""

    def wrap(check: CrossCheck) -> CrossCheck:
        _register(Rule(rule_id, severity, title, source, cross=check))
        return check

    return wrap


def batch_rule(
    rule_id: str, severity: Severity, title: str, *, source: str
) -> Callable[[BatchCheck], BatchCheck]:
    """Register a rule that compares the reports of a batch with one another (D-02)."""

    def wrap(check: BatchCheck) -> BatchCheck:
        _register(Rule(rule_id, severity, title, source, batch=check))
        return check

    return wrap


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule in spec order (import `gongkai.domain.report.rules` first)."""
    return tuple(sorted(_REGISTRY.values(), key=lambda rule: rule_order(rule.id)))


def get_rule(rule_id: str) -> Rule:
    return _REGISTRY[rule_id]


def finding(rule_id: str, where: str, message: str) -> Finding:
    """A finding of a registered rule, with the rule's registered severity."""
    return Finding(rule_id, _REGISTRY[rule_id].severity, where, message)


_DOC_HEADER = """\
# 年度报告检查规则 / Annual report rules

Generated from the rule registry (`gongkai/domain/report/rules/`); do not edit by hand.
Regenerate with `uv run python -m gongkai.domain.report.rules > docs/rules.md`.
Severity: 错误 = error, 警告 = warning, 提示 = info. Rule ids follow shared/docs/spec.md §3;
X-03 of spec.md §3.5 is the same check as T2-02 and is reported as T2-02. Readings chosen where
the spec leaves room are listed in docs/decisions.md.

比对: 上年 = needs the same agency's previous-year report; 批内 = compares the reports of a batch
(`gongkai check` over many files), not run on a single report.

| 规则 | 级别 | 检查内容 | 比对 | 依据 |
|---|---|---|---|---|
"""


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|")


def _compared(rule: Rule) -> str:
    return "上年" if rule.cross_year else "批内" if rule.batch is not None else ""


def rules_markdown() -> str:
    """docs/rules.md: one table row per registered rule."""
    lines = [
        f"| {rule.id} | {rule.severity.label} | {_cell(rule.title)} | "
        f"{_compared(rule)} | {_cell(rule.source)} |"
        for rule in all_rules()
    ]
    return _DOC_HEADER + "\n".join(lines) + "\n"
