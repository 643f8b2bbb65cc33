"""The registry lists every rule of the brief with the spec's severity, and docs/rules.md is its
generated image."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from gongkai.domain.report.findings import Severity
from gongkai.domain.report.rules import all_rules, rules_markdown
from gongkai.domain.report.rules.context import DEFAULT_CONTEXT
from gongkai.domain.report.rules.registry import Rule, rule_order, single_rule
from tests.report.rules.builders import consistent_2021

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules.md"

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
# spec.md §3 severities, plus the project's S-09, S-10, S-11 and the 雷同 rules D-01, D-02.
EXPECTED = {
    **{f"S-0{n}": s for n, s in zip(range(1, 10), [E, W, E, E, W, I, W, W, W], strict=True)},
    "S-10": E,
    "S-11": W,
    "F-01": E,
    "F-02": W,
    "T2-01": W,
    "T2-02": W,
    "T2-03": W,
    "T2-04": W,
    **{f"T3-0{n}": s for n, s in zip(range(1, 9), [E, E, E, E, W, W, W, E], strict=True)},
    **{f"T4-0{n}": E for n in range(1, 5)},
    **{f"N-0{n}": s for n, s in zip(range(1, 10), [W, E, W, W, E, W, I, E, W], strict=True)},
    "X-01": E,
    "X-02": W,
    "X-04": W,
    "X-05": W,
    "X-06": W,
    "D-01": W,
    "D-02": W,
}
CROSS_YEAR = {"X-01", "X-02", "X-04", "X-05", "X-06", "T2-02", "D-01"}
BATCH = {"D-02"}


def test_every_rule_is_registered_with_the_spec_severity() -> None:
    assert {rule.id: rule.severity for rule in all_rules()} == EXPECTED


def test_cross_year_rules_are_marked() -> None:
    assert {rule.id for rule in all_rules() if rule.cross_year} == CROSS_YEAR


def test_batch_rules_are_marked_and_not_run_on_one_report() -> None:
    assert {rule.id for rule in all_rules() if rule.batch is not None} == BATCH
    assert "| D-02 | 警告 |" in rules_markdown()
    assert all(
        rule.run(consistent_2021(), None, DEFAULT_CONTEXT) == []
        for rule in all_rules()
        if rule.id in BATCH
    )


def test_rules_are_listed_in_spec_order() -> None:
    ids = [rule.id for rule in all_rules()]
    assert ids[:13] == [*(f"S-0{n}" for n in range(1, 10)), "S-10", "S-11", "F-01", "F-02"]
    assert ids == sorted(ids, key=rule_order)
    assert ids[-3:] == ["X-06", "D-01", "D-02"]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_each_rule_has_a_title_a_source_and_a_docstring_naming_it(rule: Rule) -> None:
    check = rule.check
    assert check is not None
    assert rule.title and rule.source
    assert rule.id in (inspect.getdoc(check) or "")


def test_a_rule_id_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="S-01"):
        single_rule("S-01", E, "重复", source="测试")(lambda report, context: [])


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    assert DOC.read_text("utf-8") == rules_markdown(), (
        "docs/rules.md is stale: uv run python -m gongkai.domain.report.rules > docs/rules.md"
    )


def test_the_doc_has_one_row_per_rule() -> None:
    rows = [
        line
        for line in rules_markdown().splitlines()
        if line.startswith("| ") and ("-0" in line or "-1" in line)
    ]
    assert len(rows) == len(all_rules())
    assert "| T3-01 | 错误 |" in rules_markdown()
