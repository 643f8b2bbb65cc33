"""Reading the fixed tables: rows seen whole, numbers, labels for messages."""

from __future__ import annotations

from decimal import Decimal

from gongkai.domain.report.model import Cell
from gongkai.domain.report.rules.tables import (
    column_label,
    fmt,
    seen,
    seen_all,
    short_label,
    t3_row_label,
    total,
)
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.rules.builders import cells, invalid, placeholder

LAYOUT = layout(FormatVersion.V2021)


def test_a_row_is_seen_only_when_read_whole() -> None:
    rows = {"new": cells([1] * 7), "carry_in": cells([1] * 6)}
    assert seen(rows, "new", 7) == rows["new"]
    assert seen(rows, "carry_in", 7) is None
    assert seen(rows, "r_open", 7) is None
    assert seen_all(rows, ["new", "carry_in"], 7) is None


def test_blanks_and_placeholders_add_as_zero_but_invalid_cells_do_not_add() -> None:
    assert total([Cell.of(2), Cell.blank(), placeholder("—")]) == 2
    assert total([Cell.of(2), invalid("两")]) is None


def test_labels_drop_long_remarks_and_name_groups() -> None:
    assert (
        short_label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "（二）部分公开"
    )
    assert short_label("本年收费金额（单位：万元）") == "本年收费金额（单位：万元）"  # unit kept
    assert short_label("（七）总计") == "（七）总计"
    assert t3_row_label(LAYOUT, "r_np_repeat") == "（五）不予处理 2.重复申请"
    assert t3_row_label(LAYOUT, "carry_in") == "二、上年结转政府信息公开申请数量"
    columns = {c.key: c for c in LAYOUT.t3_columns}
    assert column_label(columns["other_org"]) == "法人或其他组织（其他）"
    assert column_label(columns["biz"]) == "商业企业"


def test_numbers_print_as_in_a_report() -> None:
    assert fmt(36) == "36"
    assert fmt(Decimal("1.50")) == "1.50"
    assert fmt(Decimal("2E+1")) == "20"
