"""check_report as a whole: the Wancheng report, built by hand and read from the corpus."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.schema import FormatVersion
from tests.report.rules.builders import (
    consistent_2021,
    wancheng_as_published,
    without_sections,
)

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
WANCHENG_FINDINGS = [
    ("S-09", Severity.WARNING, "s1"),
    ("S-05", Severity.WARNING, "t3.r_open.other_org"),
]


def summary(findings: list[Finding]) -> list[tuple[str, Severity, str]]:
    return [(f.rule, f.severity, f.where) for f in findings]


def test_the_consistent_report_has_no_findings() -> None:
    assert check_report(consistent_2021()) == []


def test_wancheng_as_published_has_exactly_the_repeated_heading_and_the_blank_cell() -> None:
    assert summary(check_report(wancheng_as_published())) == WANCHENG_FINDINGS


def test_the_real_wancheng_file_gives_the_same_two_warnings() -> None:
    path = CORPUS / "wancheng-office-2024.txt"
    if not path.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    from gongkai.domain.report.parsers import parse_report

    report = parse_report(path.read_bytes(), path.name).report
    assert summary(check_report(report)) == WANCHENG_FINDINGS


def test_a_subtotal_row_read_by_the_parser_is_checked() -> None:
    path = CORPUS / "wancheng-office-2024.txt"
    if not path.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    from gongkai.domain.report.parsers import parse_report

    last_deny_row = "\t\n\t\n\t8.属于行政查询事项\n" + "\t0\n" * 7
    subtotal = "\n\t\n\t小计\n" + "\t0\n" * 6 + "\t1\n"
    text = path.read_text("utf-8").replace(last_deny_row, last_deny_row + subtotal)
    report = parse_report(text.encode("utf-8"), path.name).report
    found = [(f.rule, f.where) for f in check_report(report) if f.rule in ("S-06", "T3-08")]
    assert found == [("S-06", "t3.extra"), ("T3-08", "t3.extra.total")]


def test_a_pre_2019_report_gets_no_table_or_section_findings() -> None:
    report = dataclasses.replace(
        without_sections(consistent_2021(), 4), year=None, format=FormatVersion.PRE2019
    )
    assert [f.rule for f in check_report(report)] == []
