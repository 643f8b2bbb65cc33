"""Plain text in the layout of a Word document exported to text (shared/corpus/wancheng-office-2024.txt).

Paragraphs are plain lines. A table is introduced by a blank line; each cell is a line that
starts with a TAB, a blank cell is a lone TAB, a blank line ends each row, and two more blank
lines end the table. A cell merged down from the row above is listed again as a blank cell, a
cell merged across is listed once — exactly what Word writes, and what the text parser reads.
"""

from __future__ import annotations

from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.renderers.document import Heading, Paragraph, Table, build_document
from gongkai.domain.report.renderers.grid import Grid


def render_text(report: AnnualReport) -> bytes:
    document = build_document(report)
    lines: list[str] = []
    if document.title:
        lines.append(document.title)
    lines.extend(document.preamble)
    for block in document.blocks:
        match block:
            case Heading(text=text) | Paragraph(text=text):
                lines.append(text)
            case Table(grid=grid):
                lines.extend(table_lines(grid))
    return ("\n".join(lines) + "\n").encode("utf-8")


def table_lines(grid: Grid) -> list[str]:
    lines = [""]
    for row in grid.exported_rows():
        lines.extend(f"\t{text}" for text in row)
        lines.append("")
    lines.extend(["", ""])
    return lines
