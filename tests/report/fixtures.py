"""Test documents made from the Wancheng report without gongkai's own renderers.

The corpus holds the report as Word exported it to text (one cell per TAB line, rows separated
by blank lines). These helpers rebuild the document from that text — paragraphs as paragraphs,
each run of rows as a table, a row with fewer cells than the widest row getting its first cell
merged across the difference (as the official headers are) — as HTML, as .docx with
python-docx, and as PDF printed by Chromium. The parsers must read all of them back to the
truth file's figures.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
WANCHENG = CORPUS / "wancheng-office-2024.txt"

Row = list[str]
Part = str | list[Row]  # a paragraph, or a table


def wancheng_parts() -> list[Part]:
    lines = WANCHENG.read_text("utf-8").split("\n")
    parts: list[Part] = []
    row: Row = []
    table: list[Row] = []
    for line in lines:
        if line.startswith("\t"):
            row.append(line.strip())
        elif not line.strip():
            if row:
                table.append(row)
                row = []
        elif row:
            row[-1] += line.strip()  # a cell broken over two lines
        else:
            if table:
                parts.append(table)
                table = []
            parts.append(line.replace("[bookmark: _GoBack]", "").strip())
    if row:
        table.append(row)
    if table:
        parts.append(table)
    return _split_tables(parts)


def _split_tables(parts: list[Part]) -> list[Part]:
    """Word exports consecutive tables as one run of rows; split them at the 第二十条 captions."""
    result: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            result.append(part)
            continue
        current: list[Row] = []
        for row in part:
            if row and row[0].startswith("第二十条") and current:
                result.append(current)
                current = []
            current.append(row)
        result.append(current)
    return result


def wancheng_html(colspans: bool = True) -> str:
    body: list[str] = []
    for part in wancheng_parts():
        if isinstance(part, str):
            tag = "h2" if part[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"} else "p"
            body.append(f"<{tag}>{html.escape(part)}</{tag}>")
            continue
        width = max(len(r) for r in part)
        rows = []
        for r in part:
            span = width - len(r) + 1
            cells = []
            for i, cell in enumerate(r):
                attr = f' colspan="{span}"' if i == 0 and span > 1 and colspans else ""
                text = html.escape(cell) if cell else "&nbsp;"
                cells.append(f"<td{attr}>{text}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        body.append('<table border="1" cellspacing="0">' + "".join(rows) + "</table>")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>宛城区人民政府办公室2024年政府信息公开工作年度报告</title>"
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;font-size:11px}"
        "table{border-collapse:collapse;margin:6px 0}td{border:1px solid #000;padding:2px}</style>"
        "</head><body>" + "\n".join(body) + "</body></html>"
    )


def wancheng_docx() -> bytes:
    from docx import Document

    document = Document()
    for part in wancheng_parts():
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        width = max(len(r) for r in part)
        table = document.add_table(rows=len(part), cols=width)
        table.style = "Table Grid"
        for row_cells, r in zip(table.rows, part, strict=True):
            span = width - len(r) + 1
            cells = row_cells.cells
            if span > 1:
                cells[0].merge(cells[span - 1])
            for i, text in enumerate(r):
                target = cells[0] if i == 0 else cells[span - 1 + i]
                target.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
