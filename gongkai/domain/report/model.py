"""The annual report as plain values: cells that remember where they came from.

An `AnnualReport` is what every parser produces, every renderer consumes and every rule checks.
It holds only what the document says; derived figures (subtotals, sums) are computed by the
rules, never stored.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from gongkai.domain.report.schema import FormatVersion

Number = int | Decimal


class CellState(enum.StrEnum):
    VALUE = "value"
    BLANK = "blank"  # an empty cell
    PLACEHOLDER = "placeholder"  # "/", "-", "—", "无" … (spec.md §1.4, §3 S-05)
    INVALID = "invalid"  # text that is not a number (S-04)
    # A cell the reader could not be sure of: an OCR reading below the confidence threshold, or a
    # collapsed row whose cells could go to more than one column. It is never summed (S-11).
    UNREADABLE = "unreadable"


class Source(NamedTuple):
    """Where something was read: a line of text, or a page/table/row/column of a document.

    A named tuple rather than a dataclass: parsers make one per cell, and this is cheaper.
    """

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.table is not None:
            parts.append(f"表格{self.table}")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column is not None:
            parts.append(f"第{self.column}列")
        return "".join(parts)


@dataclass(frozen=True)
class Cell:
    """One numeric cell of tables 二/三/四 as printed."""

    value: Number | None
    state: CellState = CellState.VALUE
    raw: str = ""
    source: Source | None = None
    confidence: float | None = None  # OCR's confidence in the reading, 0…1; None when typed text

    @classmethod
    def of(cls, value: Number) -> Cell:
        return cls(value=value, state=CellState.VALUE, raw=str(value))

    @classmethod
    def blank(cls) -> Cell:
        return cls(value=None, state=CellState.BLANK)

    @classmethod
    def unreadable(cls, raw: str = "", source: Source | None = None, **extra: float) -> Cell:
        """A cell whose value cannot be relied on: it takes part in no sum (S-11 reports it)."""
        return cls(None, CellState.UNREADABLE, raw, source, extra.get("confidence"))

    @property
    def is_number(self) -> bool:
        return self.state is CellState.VALUE and self.value is not None

    @property
    def as_number(self) -> Number:
        """The value for arithmetic: blanks and placeholders count as 0 (spec.md §3 preamble)."""
        return self.value if self.value is not None else 0


Cells = tuple[Cell, ...]


@dataclass(frozen=True)
class Subsection:
    """A sub-heading of section 一 such as （一）主动公开, with its text."""

    key: str | None
    heading: str
    text: str


@dataclass(frozen=True)
class Section:
    """One heading occurrence and the text under it, in document order."""

    number: int | None  # 1…6 for the official sections, None for any other heading
    heading: str
    text: str = ""
    source: Source | None = None
    subsections: tuple[Subsection, ...] = ()


@dataclass(frozen=True)
class ExtraRow:
    """A row the official table lacks (e.g. 小计): reported by S-06, checked by T3-08."""

    table: str  # "t2" | "t3" | "t4"
    label: str
    cells: Cells
    source: Source | None = None


@dataclass(frozen=True)
class ParseNote:
    """Something the parser wants the reader to know (a row cut off, a guessed year …)."""

    message: str
    source: Source | None = None


@dataclass(frozen=True)
class AnnualReport:
    """A 政府信息公开工作年度报告 as read from a document or built from records."""

    format: FormatVersion
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    period: tuple[int, int] | None = None  # years of the statistics period's start and end
    preamble: str = ""
    sections: tuple[Section, ...] = ()
    t2: Mapping[str, Cells] = field(default_factory=dict)
    t3: Mapping[str, Cells] = field(default_factory=dict)
    t4: Mapping[str, Cells] = field(default_factory=dict)
    extra_rows: tuple[ExtraRow, ...] = ()
    notes: tuple[ParseNote, ...] = ()
    source_kind: str = "text"  # text | html | docx | pdf | records

    def section(self, number: int) -> Section | None:
        """The first occurrence of official section `number` (1…6)."""
        for section in self.sections:
            if section.number == number:
                return section
        return None

    def section_text(self, number: int) -> str:
        """The text under every occurrence of official section `number` (a heading may repeat)."""
        return "\n".join(s.text for s in self.sections if s.number == number and s.text)
