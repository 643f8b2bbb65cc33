"""What the renderers write, the parsers read back: the same report, figure for figure.

The parsers are tested on published documents elsewhere; here they check that the renderers
draw the layouts the parsers expect (Word's text export, merged HTML and .docx headers).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.report.model import AnnualReport, Subsection
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.renderers import render, report_to_dict
from tests.report.renderers.samples import distinct_report
from tests.report.strategies import consistent_reports


def comparable(report: AnnualReport) -> Any:
    """The report without what a parser cannot know: where it came from, sub-section keys."""
    document: Any = report_to_dict(report)
    document.pop("source_kind")
    for section in document["sections"]:
        for sub in section["subsections"]:
            sub["key"] = None
    return document


@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_the_parsers_read_back_what_the_renderers_wrote(fmt: str, data: st.DataObject) -> None:
    report = data.draw(consistent_reports())
    again = parse_report(render(report, fmt), f"report.{fmt}").report
    assert again.notes == ()
    assert comparable(again) == comparable(report)


def test_section_one_sub_headings_keep_their_keys() -> None:
    report = distinct_report()
    one = report.sections[0]
    platform = Subsection("platform", "（四）政府信息公开平台建设", "平台运行平稳。")
    one = replace(
        one,
        text=f"{one.text}\n{platform.heading}\n{platform.text}",
        subsections=(*one.subsections, platform),
    )
    report = replace(report, sections=(one, *report.sections[1:]))
    again = parse_report(render(report, "txt"), "report.txt").report
    assert [s.key for s in again.sections[0].subsections] == ["proactive", "on_request", "platform"]
