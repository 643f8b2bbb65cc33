"""The report as JSON: the object of `gongkai check --json` plus what is needed to rebuild it.

Format: docs/report-json.md; JSON Schema: docs/report.schema.json; inverse:
`gongkai.domain.report.parsers.json.parse_json`.

Tables hold numbers or null. null is a blank or placeholder cell, a row the document does not
have, or (for a whole table) a table the document does not have. The printed text of cells that
are not plain numbers is kept in `placeholders` ("/"), `invalid` ("十二") and `printed` ("1,036",
"251000元"), keyed like findings (`t3.r_open.other_org`), so blank and placeholder survive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeAlias

from gongkai.domain.report.model import (
    AnnualReport,
    Cell,
    Cells,
    CellState,
    ExtraRow,
    Number,
    Section,
)
from gongkai.domain.report.schema import Column, Layout, layout

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
JsonObject: TypeAlias = dict[str, JsonValue]


def render_json(report: AnnualReport) -> bytes:
    return dumps(report_to_dict(report)).encode("utf-8")


def report_to_dict(report: AnnualReport) -> JsonObject:
    """The report as plain JSON values (Decimal becomes a JSON number: 0.5, integers as integers)."""
    lay = layout(report.format)
    texts = _CellTexts()
    tables: JsonObject = {
        "t2": _t2(report.t2, lay, texts),
        "t3": _rows(report.t3, "t3", [(r.key, lay.t3_columns) for r in lay.t3_rows], texts),
        "t4": _rows(report.t4, "t4", [(g.key, lay.t4_columns) for g in lay.t4_groups], texts),
    }
    return {
        "format": report.format.value,
        "agency": report.agency,
        "year": report.year,
        "title": report.title,
        "period": list(report.period) if report.period else None,
        "tables": tables,
        "placeholders": dict(texts.placeholders),
        "invalid": dict(texts.invalid),
        "printed": dict(texts.printed),
        "unreadable": dict(texts.unreadable),
        "confidence": dict(texts.confidence),
        "missing_rows": _missing_rows(report, lay),
        "preamble": report.preamble,
        "sections": [_section(section) for section in report.sections],
        "extra_rows": [_extra_row(row) for row in report.extra_rows],
        "notes": [note.message for note in report.notes],
        "source_kind": report.source_kind,
    }


def json_number(value: Number) -> int | float:
    """A Decimal as a JSON number: integral values as integers, others as the nearest float.

    The float's shortest representation is the decimal as written for up to 15 significant
    digits, far more than a fee in 万元 needs.
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def json_text(value: int | float) -> str:
    return json.dumps(value)


@dataclass
class _CellTexts:
    placeholders: dict[str, JsonValue] = field(default_factory=dict)
    invalid: dict[str, JsonValue] = field(default_factory=dict)
    printed: dict[str, JsonValue] = field(default_factory=dict)
    unreadable: dict[str, JsonValue] = field(default_factory=dict)
    confidence: dict[str, JsonValue] = field(default_factory=dict)

    def value(self, where: str, cell: Cell) -> JsonValue:
        """The cell as a number or null, remembering any printed text that differs."""
        raw = cell.raw.strip()
        if cell.confidence is not None:
            self.confidence[where] = round(cell.confidence, 4)
        if cell.state is CellState.VALUE and cell.value is not None:
            number = json_number(cell.value)
            if raw and raw != json_text(number):
                self.printed[where] = raw
            return number
        if cell.state is CellState.PLACEHOLDER:
            self.placeholders[where] = raw
        elif cell.state is CellState.INVALID:
            self.invalid[where] = raw
        elif cell.state is CellState.UNREADABLE:
            self.unreadable[where] = raw
        return None


def _cells(
    cells: Cells, prefix: str, columns: tuple[Column, ...], texts: _CellTexts
) -> list[JsonValue]:
    padded = [cells[i] if i < len(cells) else Cell.blank() for i in range(len(columns))]
    return [
        texts.value(f"{prefix}.{column.key}", cell)
        for column, cell in zip(columns, padded, strict=True)
    ]


def _rows(
    table: Mapping[str, Cells],
    name: str,
    rows: list[tuple[str, tuple[Column, ...]]],
    texts: _CellTexts,
) -> JsonValue:
    if not table:
        return None
    result: JsonObject = {}
    for key, columns in rows:
        cells = table.get(key)
        result[key] = None if cells is None else _cells(cells, f"{name}.{key}", columns, texts)
    return result


def _t2(table: Mapping[str, Cells], lay: Layout, texts: _CellTexts) -> JsonValue:
    """2021 rows of a one-column sub-table are a single number: "licensing": 0."""
    result = _rows(table, "t2", [(row.key, sub.columns) for sub, row in lay.t2_rows], texts)
    if not isinstance(result, dict):
        return result
    for sub, row in lay.t2_rows:
        values = result[row.key]
        if len(sub.columns) == 1 and isinstance(values, list):
            result[row.key] = values[0]
    return result


def _missing_rows(report: AnnualReport, lay: Layout) -> list[JsonValue]:
    tables = (
        ("t2", report.t2, [row.key for _, row in lay.t2_rows]),
        ("t3", report.t3, [row.key for row in lay.t3_rows]),
        ("t4", report.t4, [group.key for group in lay.t4_groups]),
    )
    return [
        f"{name}.{key}" for name, table, keys in tables if table for key in keys if key not in table
    ]


def _section(section: Section) -> JsonValue:
    return {
        "number": section.number,
        "heading": section.heading,
        "text": section.text,
        "subsections": [
            {"key": sub.key, "heading": sub.heading, "text": sub.text}
            for sub in section.subsections
        ],
    }


def _extra_row(row: ExtraRow) -> JsonValue:
    cells: list[JsonValue] = [
        {
            "value": None if cell.value is None else json_number(cell.value),
            "state": cell.state.value,
            "raw": cell.raw,
        }
        for cell in row.cells
    ]
    return {"table": row.table, "label": row.label, "cells": cells}


def dumps(value: JsonValue) -> str:
    """Indented JSON with each list of numbers on one line (a table row reads as a row)."""
    return _dump(value, 0) + "\n"


def _dump(value: JsonValue, level: int) -> str:
    pad = "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = [f"{pad}{_scalar(key)}: {_dump(item, level + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        items = [pad + _dump(item, level + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"
    return _scalar(value)


def _scalar(value: JsonValue) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
