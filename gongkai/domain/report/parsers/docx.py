"""Word (.docx) documents: body paragraphs and table rows in document order.

python-docx repeats a horizontally merged cell once per grid column it spans; the repeats are
dropped so that a row reads like the printed table. A vertically merged label repeats in every
row it spans, which is harmless: group labels carry no numbers.
"""

from __future__ import annotations

import io
import zipfile

from gongkai.domain.report.model import Source
from gongkai.domain.report.parsers.blocks import (
    Block,
    CellText,
    Paragraph,
    ReportParseError,
    TableRow,
)
from gongkai.domain.report.parsers.text import text_blocks

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_blocks(data: bytes) -> list[Block]:
    document = _open(data)
    blocks: list[Block] = []
    tables = 0
    paragraph_number = 0
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph_number += 1
            text = DocxParagraph(child, document).text
            for block in text_blocks(text):
                if isinstance(block, Paragraph):
                    blocks.append(Paragraph(block.text, Source(line=paragraph_number)))
                else:
                    blocks.append(block)
        elif child.tag == f"{_W}tbl":
            tables += 1
            blocks.extend(_table_rows(Table(child, document), tables))
    return blocks


def _open(data: bytes):  # type: ignore[no-untyped-def]
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ReportParseError("这不是 Word（.docx）文件：压缩包中没有 word/document.xml")
            bad = archive.testzip()
            if bad is not None:
                raise ReportParseError(f"Word 文件已损坏：{bad} 校验失败")
        return Document(io.BytesIO(data))
    except ReportParseError:
        raise
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        OSError,
        EOFError,
    ) as exc:
        raise ReportParseError(
            f"Word 文件已损坏或不完整，无法打开（{type(exc).__name__}）"
        ) from exc
    except Exception as exc:  # lxml's XMLSyntaxError and friends from a damaged part
        raise ReportParseError(f"Word 文件内容损坏，无法读取（{type(exc).__name__}）") from exc


def _table_rows(table, number: int) -> list[TableRow]:  # type: ignore[no-untyped-def]
    rows: list[TableRow] = []
    for row_number, row in enumerate(table.rows, start=1):
        cells: list[CellText] = []
        previous = None
        for column, cell in enumerate(row.cells, start=1):
            if previous is not None and cell._tc is previous:
                continue  # the same merged cell again
            previous = cell._tc
            source = Source(table=number, row=row_number, column=column)
            cells.append(CellText(" ".join(cell.text.split()), source))
        if cells:
            rows.append(TableRow(tuple(cells), Source(table=number, row=row_number)))
    return rows
