"""Findings in document order: front matter, then each section with its table, rule by rule."""

from __future__ import annotations

import dataclasses

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.rules.order import document_order
from tests.report.rules.builders import consistent_2021, with_cell, with_text, without_sections


def test_findings_come_in_document_order() -> None:
    report = with_cell(consistent_2021(), "t4", "review", 4, 1)  # T4-01 in section 四
    report = with_cell(report, "t3", "carry_out", 6, 1)  # T3-01, T3-02 in section 三
    report = with_text(report, 1, "本年度未收到政府信息公开申请。")  # N-02 in section 一
    report = without_sections(report, 6)  # S-01 for section 六
    report = dataclasses.replace(report, period=(2023, 2023))  # S-07 in the preamble
    wheres = [f.where for f in check_report(report)]
    assert wheres == [
        "preamble",
        "s1",
        "t3.new.total",
        "t3.carry_out.total",
        "t4.review.total",
        "s6",
    ]


def test_findings_at_one_place_are_in_rule_order() -> None:
    report = with_cell(consistent_2021(), "t3", "carry_out", 6, 40)
    at_carry_out = [f.rule for f in check_report(report) if f.where == "t3.carry_out.total"]
    assert at_carry_out == ["T3-02", "T3-04", "T3-05"]


def test_the_order_of_a_table_place_puts_the_table_before_its_rows() -> None:
    key = document_order(consistent_2021())
    table = Finding("S-03", Severity.ERROR, "t3", "")
    row = Finding("S-05", Severity.WARNING, "t3.new.natural", "")
    heading = Finding("S-01", Severity.ERROR, "s3", "")
    assert sorted([row, table, heading], key=key) == [heading, table, row]
