"""Ways real reports print the same table that were misread (issue 13, part 1): labels with
another numbering or none, the group label on the first row's line, labels wrapped over two
lines, units printed apart from the figure. Each variant is made from the typed-in report of
tests/report/test_layout_variants.py and must read back to its figures, with no error."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from gongkai.domain.report.findings import Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.rules import check_report
from tests.report.test_layout_variants import (
    INTRO,
    KEYS_2021,
    LAYOUTS,
    T2_2021,
    T3_2021,
    T4,
    TITLE,
)


def assert_reads_back(data: bytes) -> AnnualReport:
    report = parse_report(data, "report").report
    for (_, label, values), key in zip(T3_2021, KEYS_2021, strict=True):
        assert [c.value for c in report.t3.get(key, ())] == values, label
    assert [c.value for g in report.t4.values() for c in g] == T4
    assert [f for f in check_report(report) if f.severity is Severity.ERROR] == []
    return report


def _text(layout: str) -> tuple[str, Callable[[str], bytes]]:
    data = LAYOUTS[layout]()
    if layout == "html_rowspan":
        return data.decode("gb18030"), lambda text: text.encode("gb18030")
    return data.decode("utf-8"), lambda text: text.encode("utf-8")


NUMBERING = {
    "no numbering": [("一、本年新收", "本年新收"), ("二、上年结转", "上年结转"), ("四、结转下年度", "结转下年度")],
    "(1) numbering": [("1.属于国家秘密", "（1）属于国家秘密"), ("1、属于国家秘密", "（1）属于国家秘密"),
                      ("2.其他法律", "(2)其他法律"), ("3.补正后", "③补正后")],
}  # fmt: skip


@pytest.mark.parametrize("variant", NUMBERING)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_labels_numbered_otherwise_or_not_at_all(layout: str, variant: str) -> None:
    text, encode = _text(layout)
    for old, new in NUMBERING[variant]:
        text = text.replace(old, new)
    assert_reads_back(encode(text))


@pytest.mark.parametrize("layout", ["pipe_rows", "whitespace_rows", "html_rowspan"])
def test_figures_with_their_unit_apart(layout: str) -> None:
    text, encode = _text(layout)
    # "58 件" in a PDF text layer; "58 件" inside a cell.
    text = re.sub(r"(?<=[ |>])(\d+)(?=[ |<&\n])", r"\1 件", text)
    assert " 件" in text
    assert_reads_back(encode(text))


def rows_of_text(*, group_inline: bool, wrap: bool, pipe: bool) -> bytes:
    """Table 三 with the group label in front of its first row's label, and/or each long label
    broken after its tenth character, the figures on the label's last line."""
    lines = [
        TITLE,
        INTRO,
        "一、总体情况",
        "全年共收到政府信息公开申请66件。",
        "二、主动公开政府信息情况",
    ]
    lines += [cap or " ".join(cells) for cap, cells in T2_2021]
    lines.append("三、收到和处理政府信息公开申请情况")
    sep = " | " if pipe else " "
    for group, label, values in T3_2021:
        printed = f"{group} {label}" if group and group_inline else label
        if wrap and len(printed) > 12:
            lines.append(printed[:10])
            printed = printed[10:]
        lines.append(printed + sep + sep.join(map(str, values)) + (" |" if pipe else ""))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", " ".join(map(str, T4))]
    lines += ["五、存在的主要问题及改进情况", "问题。", "六、其他需要报告的事项", "无。"]
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize("pipe", [False, True])
@pytest.mark.parametrize(("group_inline", "wrap"), [(True, False), (False, True), (True, True)])
def test_group_label_in_front_and_labels_wrapped(
    group_inline: bool, wrap: bool, pipe: bool
) -> None:
    assert_reads_back(rows_of_text(group_inline=group_inline, wrap=wrap, pipe=pipe))


def test_a_wrapped_label_whose_figures_are_on_its_first_line() -> None:
    # "1.本机关不掌握相关 12 2 0 0 1 0 15" / "政府信息": the figures follow the first piece.
    data = rows_of_text(group_inline=False, wrap=False, pipe=False).decode("utf-8")
    data = data.replace("1.本机关不掌握相关政府信息 12", "1.本机关不掌握相关 12")
    data = data.replace("0 1 0 15\n", "0 1 0 15\n政府信息\n", 1)
    assert "政府信息\n2.没有现成" in data
    assert_reads_back(data.encode("utf-8"))


@pytest.mark.parametrize(
    "table_4",
    [
        # One group per row, its label first (pipe copy and PDF text layer).
        "行政复议 | 2 | 1 | 0 | 1 | 4 |\n行政诉讼（未经复议直接起诉） | 1 | 0 | 0 | 0 | 1 |\n"
        "行政诉讼（复议后起诉） | 0 | 0 | 0 | 0 | 0 |",
        "行政复议 2 1 0 1 4\n未经复议直接起诉 1 0 0 0 1\n复议后起诉 0 0 0 0 0",
        # The fifteen figures broken over two lines.
        "行政复议 行政诉讼\n2 1 0 1 4 1 0 0\n0 1 0 0 0 0 0",
    ],
)
def test_table_4_one_group_per_row_or_broken_lines(table_4: str) -> None:
    text = rows_of_text(group_inline=False, wrap=False, pipe=True).decode("utf-8")
    printed = "行政复议 行政诉讼\n2 1 0 1 4 1 0 0 0 1 0 0 0 0 0"
    assert printed in text
    report = assert_reads_back(text.replace(printed, table_4).encode("utf-8"))
    assert not any("表四" in note.message for note in report.notes)
