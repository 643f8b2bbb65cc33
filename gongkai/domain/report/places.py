"""Where a finding is, in words: the `where` keys of spec.md §1.4–1.6 (`t3.r_open.natural`,
`t2.licensing.decisions`, `s5`, `publication`) as an office reads them (表三“（一）予以公开”行“自然人”列,
第五部分“存在的主要问题及改进情况”, 发布时间). Screens show this, never the key alone."""

from __future__ import annotations

from gongkai.domain.report.rules.tables import cell_place, t3_row_label
from gongkai.domain.report.schema import Layout

_TABLES = {"t2": "表二", "t3": "表三", "t4": "表四"}
_NUMERALS = "一二三四五六"
_OTHERS = {
    "report": "全文",
    "title": "标题",
    "preamble": "开头说明",
    "publication": "发布时间",
}


def describe_where(lay: Layout, where: str) -> str:
    """The place of `where` in Chinese; an unknown key is returned as it is."""
    if where in _OTHERS:
        return _OTHERS[where]
    if place := cell_place(lay, where):
        return place
    table, _, rest = where.partition(".")
    if table in _TABLES:
        return _TABLES[table] + (f"“{_row_label(lay, table, rest)}”行" if rest else "")
    section = _section(lay, where)
    return section or where


def _row_label(lay: Layout, table: str, key: str) -> str:
    key = key.split(".")[0]
    if table == "t3":
        return t3_row_label(lay, key) if any(r.key == key for r in lay.t3_rows) else key
    if table == "t2":
        return next((row.label for _sub, row in lay.t2_rows if row.key == key), key)
    return next((group.label for group in lay.t4_groups if group.key == key), key)


def _section(lay: Layout, where: str) -> str | None:
    head, _, sub = where.partition(".")
    if len(head) != 2 or head[0] != "s" or not head[1].isdigit():
        return None
    number = int(head[1])
    spec = next((s for s in lay.sections if s.number == number), None)
    if spec is None or not 1 <= number <= len(_NUMERALS):
        return None
    heading = spec.heading.removeprefix(f"{_NUMERALS[number - 1]}、")
    text = f"第{_NUMERALS[number - 1]}部分“{heading}”"
    if sub:
        label = dict(lay.s1_subsections).get(sub)
        text += f"“{label}”" if label else ""
    return text
