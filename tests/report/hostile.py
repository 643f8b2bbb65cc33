"""Hostile inputs, generated at test time (nothing big is committed): zip bombs, endless numbers,
deep nesting, huge lines, truncated archives and damaged PDFs (issue 9, "Done when")."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _stream_member(
    archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int, tail: bytes
) -> None:
    """Write a member of about `size` bytes without holding it in memory."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        member.write(head)
        chunk = filler * max(1, MB // len(filler))
        written = 0
        while written < size:
            member.write(chunk)
            written += len(chunk)
        member.write(tail)


def docx_bomb(path: Path, megabytes: int) -> Path:
    """A .docx whose word/document.xml inflates to `megabytes` MB of paragraphs."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        _stream_member(
            archive,
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode(),
            b"<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>",
            megabytes * MB,
            b"</w:body></w:document>",
        )
    return path


def xlsx_bomb(path: Path, megabytes: int) -> Path:
    """An .xlsx whose first sheet inflates to `megabytes` MB of rows."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        )
        _stream_member(
            archive,
            "xl/worksheets/sheet1.xml",
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>",
            b'<row><c t="inlineStr"><is><t>x</t></is></c></row>',
            megabytes * MB,
            b"</sheetData></worksheet>",
        )
    return path


def long_number_text(path: Path, digits: int = 5000) -> Path:
    number = "9" * digits
    path.write_text(
        "宛城区2024年政府信息公开工作年度报告\n一、总体情况\n"
        f"全年共收到政府信息公开申请{number}件，上年结转{number}件，结转下年度{number}件。\n"
        "三、收到和处理政府信息公开申请情况\n"
        f"一、本年新收政府信息公开申请数量\t{number}\t{number}\t0\t0\t0\t0\t{number}\n",
        "utf-8",
    )
    return path


def long_number_html(path: Path, digits: int = 5000) -> Path:
    number = "9" * digits
    path.write_text(
        "<html><body><h1>2024年政府信息公开工作年度报告</h1><table>"
        f"<tr><td>一、本年新收政府信息公开申请数量</td><td>{number}</td><td>{number}</td></tr>"
        "</table></body></html>",
        "utf-8",
    )
    return path


def long_number_json(path: Path, digits: int = 5000) -> Path:
    path.write_text('{"format": "v2021", "year": ' + "9" * digits + "}", "utf-8")
    return path


def long_number_docx(path: Path, digits: int = 5000) -> Path:
    body = f"<w:p><w:r><w:t>全年共收到政府信息公开申请{'9' * digits}件</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>',
        )
    return path


def deep_json(path: Path, depth: int = 10_000) -> Path:
    path.write_text('{"a": ' * depth + "1" + "}" * depth, "utf-8")
    return path


def deep_json_arrays(path: Path, depth: int = 10_000) -> Path:
    path.write_text('{"tables": ' + "[" * depth + "]" * depth + "}", "utf-8")
    return path


def deep_html(path: Path, depth: int = 100_000) -> Path:
    path.write_text("<html><body>" + "<div>" * depth + "x" + "</div>" * depth, "utf-8")
    return path


def huge_line(path: Path, megabytes: int = 20) -> Path:
    with path.open("wb") as out:
        out.write("全年共收到政府信息公开申请".encode())
        for _ in range(megabytes):
            out.write(b"1" * MB)
        out.write("件".encode())
    return path


def huge_carry_sentence(path: Path, kilobytes: int = 272) -> Path:
    """The N-03 patterns once took 14 s on 272 KB of digits before 件 and 结转."""
    path.write_text(
        "二〇二四年政府信息公开工作年度报告\n一、总体情况\n"
        + "上年结转"
        + "1" * (kilobytes * 1024)
        + "。\n",
        "utf-8",
    )
    return path


def huge_html_table(path: Path, megabytes: int = 15) -> Path:
    row = "<tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td></tr>"
    with path.open("w", encoding="utf-8") as out:
        out.write("<html><body><table>")
        for _ in range(megabytes * MB // len(row)):
            out.write(row)
        out.write("</table></body></html>")
    return path


def truncated_docx(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>" * 2000)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) // 2])
    return path


def broken_xref_pdf(path: Path) -> Path:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        b"4 0 obj<</Length 999999>>stream\nBT /F1 12 Tf (x) Tj ET\nendstream endobj\n"
        b"xref\n0 5\n0000000000 65535 f \n0000000999 00000 n \ntrailer<</Size 5/Root 1 0 R>>\n"
        b"startxref\n123456\n%%EOF\n"
    )
    return path


def garbage_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4000)
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "docx-bomb-50mb.docx": lambda p: docx_bomb(p, 50),
    "docx-bomb-800mb.docx": lambda p: docx_bomb(p, 800),
    "xlsx-bomb-200mb.xlsx": lambda p: xlsx_bomb(p, 200),
    "long-number.txt": long_number_text,
    "long-number.html": long_number_html,
    "long-number.json": long_number_json,
    "long-number.docx": long_number_docx,
    "deep.json": deep_json,
    "deep-arrays.json": deep_json_arrays,
    "deep.html": deep_html,
    "huge-line.txt": huge_line,
    "carry-sentence.txt": huge_carry_sentence,
    "huge-table.html": huge_html_table,
    "truncated.docx": truncated_docx,
    "broken-xref.pdf": broken_xref_pdf,
    "garbage.pdf": garbage_pdf,
}
