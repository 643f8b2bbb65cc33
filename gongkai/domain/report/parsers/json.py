"""Read a report back from its JSON form (docs/report-json.md), the inverse of `render(r, "json")`.

Accepts the output of `gongkai check --json` (its "file" and "findings" are ignored), the
output of `gongkai render --to x.json`, and the hand-made truth files of shared/corpus (other
top-level keys are ignored). Inside "tables" everything is checked against the layout of the
report's format; a row key that is missing counts as a row the document does not have.
"""

from __future__ import annotations

import json
from decimal import Decimal

from gongkai.domain.report.model import (
    AnnualReport,
    Cell,
    Cells,
    CellState,
    ExtraRow,
    Number,
    ParseNote,
    Section,
    Subsection,
)
from gongkai.domain.report.parsers.limits import active_limits
from gongkai.domain.report.schema import Column, FormatVersion, Layout, layout

_CELL_MAPS = ("placeholders", "invalid", "printed", "unreadable")


class ReportJsonError(ValueError):
    """The JSON is not a report; the message is Chinese and names the offending field."""


def parse_json(data: bytes) -> AnnualReport:
    top = _object(_load(data), "JSON 顶层")
    version = _format(top.get("format"))
    lay = layout(version)
    texts = {name: _cell_texts(top.get(name), name) for name in _CELL_MAPS}
    tables = _object(top.get("tables"), "tables")
    missing = frozenset(
        _str(item, f"missing_rows[{i}]")
        for i, item in enumerate(_list(top.get("missing_rows"), "missing_rows"))
    )
    reader = _TableReader(texts, missing, _confidences(top.get("confidence")))
    report = AnnualReport(
        format=version,
        year=_optional_int(top.get("year"), "year"),
        agency=_optional_str(top.get("agency"), "agency"),
        title=_optional_str(top.get("title"), "title"),
        period=_period(top.get("period")),
        preamble=_optional_str(top.get("preamble"), "preamble") or "",
        sections=tuple(
            _section(item, f"sections[{i}]")
            for i, item in enumerate(_list(top.get("sections"), "sections"))
        ),
        t2=reader.table(
            tables.get("t2"),
            "t2",
            [(r.key, t.columns) for t, r in lay.t2_rows],
            scalar_rows=_scalar_rows(lay),
        ),
        t3=reader.table(tables.get("t3"), "t3", [(r.key, lay.t3_columns) for r in lay.t3_rows]),
        t4=reader.table(tables.get("t4"), "t4", [(g.key, lay.t4_columns) for g in lay.t4_groups]),
        extra_rows=tuple(
            _extra_row(item, f"extra_rows[{i}]")
            for i, item in enumerate(_list(top.get("extra_rows"), "extra_rows"))
        ),
        notes=tuple(
            ParseNote(_str(item, f"notes[{i}]"))
            for i, item in enumerate(_list(top.get("notes"), "notes"))
        ),
        source_kind=_optional_str(top.get("source_kind"), "source_kind") or "json",
    )
    reader.check_all_used()
    return report


def _load(data: bytes) -> object:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportJsonError(f"JSON 文件不是 UTF-8 编码（第{exc.start + 1}个字节）") from exc
    try:
        value = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ReportJsonError(
            f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列：{exc.msg}"
        ) from exc
    except RecursionError as exc:  # the C decoder recurses once per level of nesting
        raise ReportJsonError("JSON 嵌套层次过深，不是 gongkai 年度报告格式") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ReportJsonError(f"JSON 中的数值无法读取：{str(exc)[:80]}") from exc
    _check_depth(value, active_limits().max_json_depth)
    return value


def _check_depth(value: object, limit: int) -> None:
    """Refuse nesting deeper than `limit`, walking with a stack (no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise ReportJsonError(f"JSON 嵌套超过 {limit} 层，不是 gongkai 年度报告格式")
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def _reject_constant(name: str) -> object:
    raise ReportJsonError(f"JSON 中不允许 {name}")


def _format(value: object) -> FormatVersion:
    allowed = "、".join(v.value for v in FormatVersion)
    if not isinstance(value, str):
        raise ReportJsonError(f"format 必须是字符串（{allowed}之一）")
    try:
        return FormatVersion(value)
    except ValueError:
        raise ReportJsonError(f"format 的值“{value}”无效，应为{allowed}之一") from None


def _scalar_rows(lay: Layout) -> frozenset[str]:
    """Rows of one-column sub-tables (2021 licensing, penalty, coercion, fees): one number, no list."""
    return frozenset(row.key for table, row in lay.t2_rows if len(table.columns) == 1)


class _TableReader:
    """Builds the cells of t2/t3/t4, taking the printed text of each cell from the cell maps."""

    def __init__(
        self,
        texts: dict[str, dict[str, str]],
        missing: frozenset[str],
        confidences: dict[str, float],
    ) -> None:
        self.texts = texts
        self.missing = missing
        self.confidences = confidences
        self.used: set[tuple[str, str]] = set()

    def table(
        self,
        value: object,
        name: str,
        rows: list[tuple[str, tuple[Column, ...]]],
        scalar_rows: frozenset[str] = frozenset(),
    ) -> dict[str, Cells]:
        if value is None:
            return {}
        table = _object(value, f"tables.{name}")
        known = {key for key, _ in rows}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ReportJsonError(
                f"tables.{name} 中有本格式没有的行：{'、'.join(unknown)}（各格式的行见 docs/report-json.md）"
            )
        result: dict[str, Cells] = {}
        for key, columns in rows:
            row = table.get(key)
            where = f"tables.{name}.{key}"
            if key not in table:
                continue
            if f"{name}.{key}" in self.missing:
                if row is not None:
                    raise ReportJsonError(f"missing_rows 列出了 {name}.{key}，但 {where} 不是 null")
                self.used.add(("missing_rows", f"{name}.{key}"))
                continue
            # null is a missing row, except for a one-column row: there it is a blank cell
            # unless missing_rows lists the row.
            if row is None and key not in scalar_rows:
                continue
            if key in scalar_rows:
                if isinstance(row, list):
                    raise ReportJsonError(f"{where} 应为一个数值或 null，不是数组")
                items: list[object] = [row]
            else:
                items = _list(row, where)
                if len(items) != len(columns):
                    raise ReportJsonError(
                        f"{where} 应为 {len(columns)} 个数值或 null 组成的数组，实有 {len(items)} 个"
                    )
            result[key] = tuple(
                self._cell(
                    item,
                    f"{name}.{key}.{column.key}",
                    column,
                    where if key in scalar_rows else f"{where}[{i}]",
                )
                for i, (item, column) in enumerate(zip(items, columns, strict=True))
            )
        return result

    def _cell(self, value: object, key: str, column: Column, where: str) -> Cell:
        number = _number(value, f"{where}（{column.label}）")
        placeholder = self._take("placeholders", key)
        invalid = self._take("invalid", key)
        printed = self._take("printed", key)
        unreadable = self._take("unreadable", key)
        confidence = self.confidences.get(key)
        if unreadable is not None:
            if number is not None or placeholder is not None or invalid is not None:
                raise ReportJsonError(
                    f"unreadable 中的 {key} 对应的单元格应为 null，且不能另有文字"
                )
            return Cell(None, CellState.UNREADABLE, unreadable, confidence=confidence)
        if number is None:
            if printed is not None:
                raise ReportJsonError(f"printed 中的 {key} 对应的单元格为 null，应为数值")
            if placeholder is not None and invalid is not None:
                raise ReportJsonError(f"{key} 不能同时出现在 placeholders 和 invalid 中")
            if placeholder is not None:
                return Cell(None, CellState.PLACEHOLDER, placeholder)
            if invalid is not None:
                return Cell(None, CellState.INVALID, invalid)
            return Cell.blank()
        if placeholder is not None or invalid is not None:
            kind = "placeholders" if placeholder is not None else "invalid"
            raise ReportJsonError(f"{kind} 中的 {key} 对应的单元格有数值，应为 null")
        if column.decimal and not isinstance(number, Decimal):
            number = Decimal(number)
        raw = printed if printed is not None else _text_of(value)
        return Cell(number, CellState.VALUE, raw, confidence=confidence)

    def _take(self, kind: str, key: str) -> str | None:
        text = self.texts[kind].get(key)
        if text is not None:
            self.used.add((kind, key))
        return text

    def check_all_used(self) -> None:
        for kind, texts in self.texts.items():
            for key in texts:
                if (kind, key) not in self.used:
                    raise ReportJsonError(f"{kind} 中的 {key} 不对应表格中的任何单元格")
        for key in sorted(self.missing):
            if ("missing_rows", key) not in self.used:
                raise ReportJsonError(f"missing_rows 中的 {key} 不是所给表格中的行")


def _text_of(value: object) -> str:
    """The cell's text as the JSON wrote it: 3, 0.5."""
    return str(value)


def _number(value: object, where: str) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ReportJsonError(f"{where} 应为数值或 null，不是 {_kind(value)}")
    return value


def _confidences(value: object) -> dict[str, float]:
    """`confidence`: cell key → OCR confidence between 0 and 1."""
    if value is None:
        return {}
    result: dict[str, float] = {}
    for key, item in _object(value, "confidence").items():
        if (
            isinstance(item, bool)
            or not isinstance(item, int | float | Decimal)
            or not 0 <= item <= 1
        ):
            raise ReportJsonError(f"confidence.{key} 应为 0 至 1 之间的数值")
        result[key] = float(item)
    return result


def _cell_texts(value: object, name: str) -> dict[str, str]:
    if value is None:
        return {}
    texts = _object(value, name)
    return {key: _str(text, f"{name}.{key}") for key, text in texts.items()}


def _section(value: object, where: str) -> Section:
    item = _object(value, where)
    number = _optional_int(item.get("number"), f"{where}.number")
    if number is not None and not 1 <= number <= 6:
        raise ReportJsonError(f"{where}.number 应为 1 至 6 或 null，不是 {number}")
    subsections = tuple(
        _subsection(sub, f"{where}.subsections[{i}]")
        for i, sub in enumerate(_list(item.get("subsections"), f"{where}.subsections"))
    )
    return Section(
        number=number,
        heading=_str(item.get("heading"), f"{where}.heading"),
        text=_optional_str(item.get("text"), f"{where}.text") or "",
        subsections=subsections,
    )


def _subsection(value: object, where: str) -> Subsection:
    item = _object(value, where)
    return Subsection(
        key=_optional_str(item.get("key"), f"{where}.key"),
        heading=_str(item.get("heading"), f"{where}.heading"),
        text=_optional_str(item.get("text"), f"{where}.text") or "",
    )


def _extra_row(value: object, where: str) -> ExtraRow:
    item = _object(value, where)
    table = _str(item.get("table"), f"{where}.table")
    if table not in ("t2", "t3", "t4"):
        raise ReportJsonError(f"{where}.table 应为 t2、t3 或 t4，不是“{table}”")
    cells = tuple(
        _extra_cell(cell, f"{where}.cells[{i}]")
        for i, cell in enumerate(_list(item.get("cells"), f"{where}.cells"))
    )
    return ExtraRow(table=table, label=_str(item.get("label"), f"{where}.label"), cells=cells)


def _extra_cell(value: object, where: str) -> Cell:
    item = _object(value, where)
    state_text = _str(item.get("state"), f"{where}.state")
    try:
        state = CellState(state_text)
    except ValueError:
        allowed = "、".join(s.value for s in CellState)
        raise ReportJsonError(f"{where}.state 应为{allowed}之一，不是“{state_text}”") from None
    number = _number(item.get("value"), f"{where}.value")
    if (number is None) == (state is CellState.VALUE):
        raise ReportJsonError(f"{where}: state 为 value 时必须有数值，其他状态时 value 必须为 null")
    return Cell(number, state, _optional_str(item.get("raw"), f"{where}.raw") or "")


def _period(value: object) -> tuple[int, int] | None:
    if value is None:
        return None
    items = _list(value, "period")
    if len(items) != 2:
        raise ReportJsonError("period 应为 [起始年份, 终止年份] 或 null")
    return (_int(items[0], "period[0]"), _int(items[1], "period[1]"))


# ---------------------------------------------------------------- JSON shapes


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, str):
        return f"字符串“{value[:20]}”"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, Decimal):
        return f"小数 {value}"
    return type(value).__name__


def _object(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ReportJsonError(f"{where} 应为 JSON 对象，不是 {_kind(value)}")
    return value


def _list(value: object, where: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReportJsonError(f"{where} 应为数组，不是 {_kind(value)}")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ReportJsonError(f"{where} 应为字符串，不是 {_kind(value)}")
    return value


def _optional_str(value: object, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportJsonError(f"{where} 应为整数，不是 {_kind(value)}")
    return value


def _optional_int(value: object, where: str) -> int | None:
    return None if value is None else _int(value, where)
