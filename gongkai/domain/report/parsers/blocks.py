"""The common shape every document is reduced to before the tables are read.

Each front end (text, HTML, .docx, PDF) turns its input into a sequence of blocks: paragraphs,
and table rows whose cells are known to belong together. Layouts that lose the row structure
(one cell per line) yield one paragraph per cell; the extractor copes with both.
"""

from __future__ import annotations

from typing import NamedTuple

from gongkai.domain.report.model import Source


class ReportParseError(ValueError):
    """The input cannot be read as a report at all; the message is Chinese and names the cause."""


class Paragraph(NamedTuple):
    text: str
    source: Source


class CellText(NamedTuple):
    text: str
    source: Source
    confidence: float | None = None  # OCR's confidence in the text, 0…1; None for typed text


class TableRow(NamedTuple):
    cells: tuple[CellText, ...]
    source: Source


Block = Paragraph | TableRow
