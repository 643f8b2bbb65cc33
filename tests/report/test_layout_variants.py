"""The same typed-in report printed in layouts seen on government sites reads back cell for cell.

The figures below were typed in for these tests (a consistent 2021 report of a county bureau and
a 2019-format township report); each layout function prints them the way a site does.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest

from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.schema import FormatVersion

# (group label or "", row label, seven values) in the official order of the 2021 table 三.
T3_2021: list[tuple[str, str, list[int]]] = [
    ("", "一、本年新收政府信息公开申请数量", [58, 7, 0, 0, 1, 0, 66]),
    ("", "二、上年结转政府信息公开申请数量", [2, 0, 0, 0, 0, 0, 2]),
    ("三、本年度办理结果", "（一）予以公开", [20, 3, 0, 0, 0, 0, 23]),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [16, 1, 0, 0, 0, 0, 17]),
    ("（三）不予公开", "1.属于国家秘密", [0, 0, 0, 0, 0, 0, 0]),
    ("", "2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0, 0]),
    ("", "3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0, 0]),
    ("", "4.保护第三方合法权益", [1, 0, 0, 0, 0, 0, 1]),
    ("", "5.属于三类内部事务信息", [1, 0, 0, 0, 0, 0, 1]),
    ("", "6.属于四类过程性信息", [0, 0, 0, 0, 0, 0, 0]),
    ("", "7.属于行政执法案卷", [0, 0, 0, 0, 0, 0, 0]),
    ("", "8.属于行政查询事项", [0, 0, 0, 0, 0, 0, 0]),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", [12, 2, 0, 0, 1, 0, 15]),
    ("", "2.没有现成信息需要另行制作", [3, 0, 0, 0, 0, 0, 3]),
    ("", "3.补正后申请内容仍不明确", [0, 0, 0, 0, 0, 0, 0]),
    ("（五）不予处理", "1.信访举报投诉类申请", [2, 0, 0, 0, 0, 0, 2]),
    ("", "2.重复申请", [1, 0, 0, 0, 0, 0, 1]),
    ("", "3.要求提供公开出版物", [0, 0, 0, 0, 0, 0, 0]),
    ("", "4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0, 0]),
    ("", "5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0, 0]),
    (
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        [1, 0, 0, 0, 0, 0, 1],
    ),
    (
        "",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        [0, 0, 0, 0, 0, 0, 0],
    ),
    ("", "3.其他", [2, 1, 0, 0, 0, 0, 3]),
    ("", "（七）总计", [59, 7, 0, 0, 1, 0, 67]),
    ("", "四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]
KEYS_2021 = [
    "new", "carry_in", "r_open", "r_partial", "r_deny_secret", "r_deny_law", "r_deny_3s1s",
    "r_deny_3rd", "r_deny_internal", "r_deny_process", "r_deny_enforce", "r_deny_query",
    "r_na_notheld", "r_na_create", "r_na_unclear", "r_np_petition", "r_np_repeat",
    "r_np_publication", "r_np_excessive", "r_np_confirm", "r_other_nocorrect", "r_other_nofee",
    "r_other_other", "r_total", "carry_out",
]  # fmt: skip
T2_2021 = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
    ("", ["规章", "0", "0", "0"]),
    ("", ["行政规范性文件", "5", "1", "25"]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"]),
    ("", ["行政许可", "1,204"]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"]),
    ("", ["行政处罚", "87"]),
    ("", ["行政强制", "3"]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"]),
    ("", ["行政事业性收费", "12.5"]),
]
T4 = [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
TITLE = "某县市场监督管理局2023年政府信息公开工作年度报告"
INTRO = "本报告所列数据的统计期限自2023年1月1日至2023年12月31日止。"


def _t4_header() -> list[list[str]]:
    return [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
    ]


def html_rowspan() -> bytes:
    """Group labels as rowspan cells in the first row of their group; markup inside cells."""
    rows = []
    for group, label, values in T3_2021:
        cells = ""
        if group:
            span = sum(1 for g, _, _ in T3_2021[T3_2021.index((group, label, values)) :][:9])
            cells += f'<td rowspan="{span}"><p><span>{html.escape(group)}</span></p></td>'
        cells += f"<td><p><span style='x'>{html.escape(label)}</span></p></td>"
        cells += "".join(f"<td><p>{v}&nbsp;</p></td>" for v in values)
        rows.append(f"<tr>{cells}</tr>")
    t2 = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in ([cap] if cap else cells)) + "</tr>"
        for cap, cells in T2_2021
    )
    t4 = "".join("<tr>" + "".join(f"<th>{c}</th>" for c in r) + "</tr>" for r in _t4_header())
    t4 += "<tr>" + "".join(f"<td>{v}</td>" for v in T4) + "</tr>"
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>
    <body><div class="title"><strong>{TITLE}</strong></div><p>{INTRO}</p>
    <p><strong>一、总体情况</strong></p><p>全年共收到政府信息公开申请66件。</p>
    <p><b>二、主动公开政府信息情况</b></p><table>{t2}</table>
    <p><b>三、收到和处理政府信息公开申请情况</b></p><table><tbody>{"".join(rows)}</tbody></table>
    <p><b>四、政府信息公开行政复议、行政诉讼情况</b></p><table>{t4}</table>
    <p>五、存在的主要问题及改进情况</p><p>问题。</p><p>六、其他需要报告的事项</p><p>无。</p>
    </body></html>"""
    return page.encode("gb18030")


def pipe_rows() -> bytes:
    lines = [
        TITLE,
        INTRO,
        "第一部分 总体情况",
        "全年共收到政府信息公开申请66件。",
        "第二部分 主动公开政府信息情况",
    ]
    for cap, cells in T2_2021:
        lines.append(f"{cap} |" if cap else " | ".join(cells) + " |")
    lines.append("第三部分 收到和处理政府信息公开申请情况")
    for group, label, values in T3_2021:
        lead = f"{group} | " if group else ""
        lines.append(lead + label + " | " + " | ".join(map(str, values)) + " |")
    lines.append("第四部分 政府信息公开行政复议、行政诉讼情况")
    lines.extend(" | ".join(r) + " |" for r in _t4_header())
    lines.append(" | ".join(map(str, T4)) + " |")
    lines += ["第五部分 存在的主要问题及改进情况", "问题。", "第六部分 其他需要报告的事项", "无。"]
    return "\n".join(lines).encode("utf-8")


def cell_per_paragraph() -> bytes:
    """Every cell a paragraph of its own, blank lines between, group labels split in two."""
    parts = [
        TITLE,
        INTRO,
        "一、总体情况。全年共收到政府信息公开申请66件。",
        "二、主动公开政府信息情况",
    ]
    for cap, cells in T2_2021:
        parts.extend([cap] if cap else cells)
    parts.append("三、收到和处理政府信息公开申请情况")
    for group, label, values in T3_2021:
        if group.startswith("（"):
            parts.extend([group[:3], group[3:]])
        elif group:
            parts.append(group)
        parts.append(label.replace("1.", "1、"))
        parts.extend(map(str, values))
    parts.append("四、政府信息公开行政复议、行政诉讼情况")
    parts.extend(c for r in _t4_header() for c in r)
    parts.extend(map(str, T4))
    parts += ["五、存在的主要问题及改进情况", "问题。", "六、其他需要报告的事项", "无。"]
    return "\n\n".join(parts).encode("utf-8")


def whitespace_rows() -> bytes:
    """A PDF text layer: label and values on one line, full-width punctuation, page furniture."""
    lines = [
        f"Page 1 - {TITLE}",
        INTRO,
        "一、总体情况",
        "全年共收到政府信息公开申请66件。",
        "— 1 —",
    ]
    lines.append("二、主动公开政府信息情况")
    for cap, cells in T2_2021:
        lines.append(cap if cap else " ".join(cells))
    lines.append("三、收到和处理政府信息公开申请情况")
    for _, label, values in T3_2021:
        lines.append(label.replace("“", "").replace("”", "") + " " + " ".join(map(str, values)))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", " ".join(map(str, T4))]
    lines += ["五、存在的主要问题及改进情况", "问题。", "六、其他需要报告的事项", "无。"]
    return "\n".join(lines).encode("utf-8")


LAYOUTS: dict[str, Callable[[], bytes]] = {
    "html_rowspan": html_rowspan,
    "pipe_rows": pipe_rows,
    "cell_per_paragraph": cell_per_paragraph,
    "whitespace_rows": whitespace_rows,
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_cell_reads_back(layout: str) -> None:
    report = parse_report(LAYOUTS[layout](), "report").report
    assert report.format is FormatVersion.V2021
    assert report.year == 2023
    assert report.agency == "某县市场监督管理局"
    assert {k: [c.value for c in v] for k, v in report.t3.items()} == {
        key: values for key, (_, _, values) in zip(KEYS_2021, T3_2021, strict=True)
    }
    assert [c.value for c in report.t2["normative_documents"]] == [5, 1, 25]
    assert report.t2["licensing"][0].value == 1204
    assert str(report.t2["fees"][0].value) == "12.5"
    assert [c for g in ("review", "suit_direct", "suit_after_review") for c in
            [x.value for x in report.t4[g]]] == T4  # fmt: skip
    assert sorted({s.number for s in report.sections}) == [1, 2, 3, 4, 5, 6]
    assert "66件" in report.section_text(1)


def test_a_group_label_with_figures_is_kept_as_an_extra_row() -> None:
    text = (
        pipe_rows()
        .decode("utf-8")
        .replace(
            "（三）不予公开 | 1.属于国家秘密",
            "（三）不予公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n1.属于国家秘密",
        )
    )
    report = parse_report(text.encode("utf-8"), "x").report
    assert [(row.label, [c.value for c in row.cells]) for row in report.extra_rows] == [
        ("（三）不予公开", [2, 0, 0, 0, 0, 0, 2])
    ]
    assert [c.value for c in report.t3["r_deny_secret"]] == [0] * 7


T3_2019_TAIL = "（六）其他处理"


def test_a_2019_report_reads_its_single_other_row_and_five_subtables() -> None:
    rows = [
        (g, lab, v)
        for g, lab, v in T3_2021
        if not lab.startswith(("1.申请人", "2.申请人", "3.其他"))
    ]
    at = [lab for _, lab, _ in rows].index("（七）总计")
    rows.insert(at, ("", T3_2019_TAIL, [3, 1, 0, 0, 0, 0, 4]))
    lines = ["某乡人民政府2019年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况",
             "第二十条第（一）项 |", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
             "规章 | 0 | 0 | 0 |", "规范性文件 | 2 | 2 | 14 |",
             "第二十条第（五）项 |", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
             "行政许可 | 12 | -2 | 340 |", "其他对外管理服务事项 | 0 | 0 | 0 |",
             "第二十条第（九）项 |", "政府集中采购 | 3 | 251000元 |",
             "三、收到和处理政府信息公开申请情况"]  # fmt: skip
    lines += [f"{lab} | " + " | ".join(map(str, v)) + " |" for _, lab, v in rows]
    report = parse_report("\n".join(lines).encode("utf-8"), "x").report
    assert report.format is FormatVersion.V2019
    assert [c.value for c in report.t3["r_other"]] == [3, 1, 0, 0, 0, 0, 4]
    assert "r_other_other" not in report.t3
    assert [c.value for c in report.t2["licensing"]] == [12, -2, 340]
    assert report.t2["procurement"][1].value == 251000
    assert report.t2["procurement"][1].raw == "251000元"
