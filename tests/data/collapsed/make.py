"""Writes the collapsed-row material of this directory (see README.md); run from the repository
root: `uv run python tests/data/collapsed/make.py`.

The figures are those of shared/corpus/wancheng-office-2024 (its truth file, checked by hand
against the published report), typed in below; the 2019 files lay the same figures out in the
2019 format's rows, with the wording of shared/corpus/township-2019-blank. Each file prints some
cells blank and then drops the blank cells of a row, as text and HTML copies of reports do.
Nothing here imports gongkai: the material does not depend on the code it tests.
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent

TITLE = "宛城区人民政府办公室2024年政府信息公开工作年度报告"
INTRO = "本报告所列数据的统计期限自2024年1月1日至2024年12月31日止。"
S1 = "全年共收到政府信息公开申请36件。"
TAIL = [
    "五、存在的主要问题及改进情况",
    "（一）存在问题。部分信息公开时效性差。",
    "六、其他需要报告的事项",
    "依申请公开收费标准按照《政府信息公开信息处理费管理办法》执行,未收取任何信息处理费。",
]
T2_2021 = [
    ["第二十条第（一）项"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["行政规范性文件", "10", "0", "27"],
    ["第二十条第（五）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政许可", "0"],
    ["第二十条第（六）项"],
    ["信息内容", "本年处理决定数量"],
    ["行政处罚", "0"],
    ["行政强制", "0"],
    ["第二十条第（八）项"],
    ["信息内容", "本年收费金额（单位：万元）"],
    ["行政事业性收费", "0"],
]
# 2019 table 二 as shared/corpus/township-2019-blank prints it: only 规章's first cell is filled.
T2_2019 = [
    ["第二十条第（一）项"],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "", ""],
    ["规范性文件", "", "", ""],
    ["第二十条第（五）项"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政许可", "", "", ""],
    ["其他对外管理服务事项", "", "", ""],
    ["第二十条第（六）项"],
    ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
    ["行政处罚", "", "", ""],
    ["行政强制", "", "", ""],
    ["第二十条第（八）项"],
    ["信息内容", "上一年项目数量", "本年增/减"],
    ["行政事业性收费", "", ""],
    ["第二十条第（九）项"],
    ["信息内容", "采购项目数量", "采购总金额"],
    ["政府集中采购", "", ""],
]
T3_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["自然人", "法人或其他组织", "总计"],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
Z = [0, 0, 0, 0, 0, 0, 0]
# (group label, row label, figures; None = blank in the source) — wancheng-office-2024.truth.json
T3_2021: list[tuple[str, str, list[int | None]]] = [
    ("", "一、本年新收政府信息公开申请数量", [33, 2, 0, 0, 0, 1, 36]),
    ("", "二、上年结转政府信息公开申请数量", Z),
    ("三、本年度办理结果", "（一）予以公开", [20, 2, 0, 0, 0, None, 22]),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [13, 0, 0, 0, 0, 0, 13]),
    ("（三）不予公开", "1.属于国家秘密", Z),
    ("", "2.其他法律行政法规禁止公开", Z),
    ("", "3.危及“三安全一稳定”", Z),
    ("", "4.保护第三方合法权益", Z),
    ("", "5.属于三类内部事务信息", Z),
    ("", "6.属于四类过程性信息", Z),
    ("", "7.属于行政执法案卷", Z),
    ("", "8.属于行政查询事项", Z),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", Z),
    ("", "2.没有现成信息需要另行制作", Z),
    ("", "3.补正后申请内容仍不明确", Z),
    ("（五）不予处理", "1.信访举报投诉类申请", Z),
    ("", "2.重复申请", Z),
    ("", "3.要求提供公开出版物", Z),
    ("", "4.无正当理由大量反复申请", Z),
    ("", "5.要求行政机关确认或重新出具已获取信息", Z),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", Z),
    ("", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", Z),
    ("", "3.其他", [0, 0, 0, 0, 0, 1, 1]),
    ("", "（七）总计", [33, 2, 0, 0, 0, 1, 36]),
    ("", "四、结转下年度继续办理", Z),
]
# The 2019 format has one （六）其他处理 row: the sum of the three 2021 rows above.
T3_2019 = [
    *T3_2021[:20],
    ("", "（六）其他处理", [0, 0, 0, 0, 0, 1, 1]),
    *T3_2021[23:],
]
T4_HEADER = [
    ["行政复议", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]
T4 = [0] * 15
MAIN_ROWS = ("一、", "二、", "（七）", "四、")


def zeros_blank(values: list[int | None]) -> list[int | None]:
    return [None if v == 0 else v for v in values]


def printed(values: list[int | None]) -> list[str]:
    """The figures of a row with its blank cells dropped (the collapse)."""
    return [str(v) for v in values if v is not None]


def pipe_report(t2: list[list[str]], t3: list[tuple[str, str, list[int | None]]]) -> str:
    """Pipe rows; result rows print 0 as blank and lose their blanks, padded with "||||||"."""
    lines = [TITLE, "一、总体情况", INTRO, S1, "二、主动公开政府信息情况"]
    lines += [" | ".join(r) + " |" if len(r) > 1 else f"{r[0]} |" for r in t2]
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += [" | ".join(r) + " |" for r in T3_HEADER]
    for group, label, values in t3:
        lead = f"{group} | " if group else ""
        if label.startswith(MAIN_ROWS) and any(v for v in values if v):
            cells = " | ".join("" if v is None else str(v) for v in values)
            lines.append(f"{lead}{label} | {cells} |")
        else:
            figures = printed(zeros_blank(values))
            lines.append(f"{lead}{label} | " + "".join(f"{f} | " for f in figures) + "||||||")
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += [" | ".join(r) + " |" for r in T4_HEADER]
    lines.append("||||||||")  # every cell of table 四 blank, dropped
    return "\n".join(lines + TAIL) + "\n"


def spaces_report(t2: list[list[str]], t3: list[tuple[str, str, list[int | None]]]) -> str:
    """A PDF text layer: label then figures on one line; every 0 printed blank and dropped."""
    lines = [TITLE, INTRO, "一、总体情况", S1, "二、主动公开政府信息情况"]
    lines += [" ".join(r).strip() for r in t2]
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += [" ".join(r) for r in T3_HEADER]
    for _, label, values in t3:
        lines.append(" ".join([label, *printed(zeros_blank(values))]))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += [" ".join(r) for r in T4_HEADER]
    return "\n".join(lines + TAIL) + "\n"


def fewer_td_page() -> str:
    """HTML: zeros printed, except 3.其他 (printed "1 | 1") and table 四 (only its 总计 cells
    printed, as 0); the blank cell of （一）予以公开 is a missing <td>, as are those of 3.其他."""

    def table(rows: list[list[str]]) -> str:
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
        )
        return f'<table border="1">{body}</table>'

    t3_rows = [*T3_HEADER]
    for group, label, values in T3_2021:
        shown = zeros_blank(values) if label == "3.其他" else values
        t3_rows.append(([group] if group else []) + [label, *printed(shown)])
    t4_rows = [*T4_HEADER, ["0", "0", "0"]]
    parts = [
        f"<h1>{TITLE}</h1>",
        "<h2>一、总体情况</h2>",
        f"<p>{INTRO}</p><p>{S1}</p>",
        "<h2>二、主动公开政府信息情况</h2>",
        table(T2_2021),
        "<h2>三、收到和处理政府信息公开申请情况</h2>",
        table(t3_rows),
        "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>",
        table(t4_rows),
        "<h2>五、存在的主要问题及改进情况</h2><p>（一）存在问题。部分信息公开时效性差。</p>",
        "<h2>六、其他需要报告的事项</h2><p>未收取任何信息处理费。</p>",
    ]
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>\n'
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def main() -> None:
    files = {
        "wancheng-2021-pipe-results-collapsed.txt": pipe_report(T2_2021, T3_2021),
        "wancheng-2021-spaces-zeros-blank.txt": spaces_report(T2_2021, T3_2021),
        "wancheng-2021-fewer-td.html": fewer_td_page(),
        "wancheng-as-2019-pipe-padding.txt": pipe_report(T2_2019, T3_2019).replace("2024", "2019"),
        "wancheng-as-2019-spaces-zeros-blank.txt": spaces_report(T2_2019, T3_2019).replace(
            "2024", "2019"
        ),
    }
    for name, text in files.items():
        (HERE / name).write_text(text, "utf-8")


if __name__ == "__main__":
    main()
