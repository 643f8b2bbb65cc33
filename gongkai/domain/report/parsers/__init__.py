"""Bytes → AnnualReport: the input format is detected, then one extractor reads every layout."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.domain.report.model import AnnualReport, ParseNote, Source
from gongkai.domain.report.parsers.blocks import Block, Paragraph, ReportParseError
from gongkai.domain.report.parsers.limits import (
    DEFAULT_LIMITS,
    Limits,
    check_blocks,
    check_digit_runs,
    check_size,
    reading,
)

__all__ = ["Limits", "ParseResult", "ReportParseError", "detect_kind", "parse_report"]


@dataclass(frozen=True)
class ParseResult:
    report: AnnualReport
    kind: str  # text | html | docx | pdf | json | image (doc, rtf, ofd, xlsx, zip are refused)

    @property
    def notes(self) -> tuple[ParseNote, ...]:
        return self.report.notes


# Markup that only a web page has: a saved page may begin with comments, scripts or a long <head>.
_HTML_MARKERS = (b"<html", b"<!doctype html", b"<table", b"<body", b"<tr", b"<td", b"<p>", b"<div")
_SNIFF_BYTES = 65_536


def detect_kind(data: bytes, filename: str | None = None) -> str:
    """Recognise the input by its content, never by its name alone: an HTML page saved as .txt, a
    PDF served as .html and a .doc renamed .docx are what their bytes say; the file name only
    breaks ties (a fragment of markup-free text named .html)."""
    if data.startswith(b"PK"):
        return _zip_kind(data)
    if b"%PDF-" in data[:1024]:  # the header may follow some junk (ISO 32000-1 §7.5.2 note)
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"  # the OLE compound file of Word 97–2003 (and WPS), whatever its name
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data[:64].lstrip().startswith(b"{\\rtf"):
        return "rtf"  # "Save as .doc" in some editors writes RTF: not JSON despite its brace
    head = _sniffable(data[:_SNIFF_BYTES]).lstrip()
    lowered = head.lower()
    if lowered.startswith((b"{", b"\xef\xbb\xbf{")):
        return "json"
    if any(marker in lowered for marker in _HTML_MARKERS) and lowered.count(b"<") >= 3:
        return "html"
    if filename and filename.lower().endswith((".htm", ".html")):
        return "html"
    return "text"


# PNG, JPEG, TIFF (little- and big-endian): scanned pages, read by OCR.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def _zip_kind(data: bytes) -> str:
    """A zip package: Word (.docx), OFD (GB/T 33190, OFD.xml at its root) or something else."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "docx"  # a damaged package: the .docx reader says what is wrong with it
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or "ofd.xml" in {name.lower() for name in names}:
        return "ofd"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return "zip"


def _sniffable(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes: UTF-16 (with or without a byte-order mark) re-encoded
    as UTF-8."""
    from gongkai.domain.report.parsers.text import utf16_encoding

    wide = utf16_encoding(head)
    if wide is not None:
        return head.decode(wide, errors="ignore").encode("utf-8")
    return head


def parse_report(
    data: bytes, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """Read a report from any supported format; raise ReportParseError with a Chinese message.

    Whatever the bytes, nothing else escapes: past a limit of `limits` (size, nesting, time) the
    error names it, and an unexpected failure deep in a library becomes a ReportParseError too.
    """
    check_size(len(data), limits.max_file_bytes, "文件")
    if not data.strip():
        raise ReportParseError("文件为空")
    kind = detect_kind(data, filename)
    if kind in {"text", "html", "json"}:
        check_size(len(data), limits.max_text_bytes, "文本文件")
    with reading(limits):
        try:
            return _parse(data, kind)
        except ReportParseError:
            raise
        except RecursionError as exc:
            raise ReportParseError("文件嵌套层次过深，无法读取") from exc
        except MemoryError as exc:
            raise ReportParseError("文件过大，内存不足，无法读取") from exc
        except Exception as exc:  # the last line of defence: a library failing on odd input
            raise ReportParseError(f"文件无法读取（{type(exc).__name__}）") from exc


def _texts(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from (cell.text for cell in block.cells)


def _parse(data: bytes, kind: str) -> ParseResult:
    if kind == "doc":
        raise ReportParseError("不支持旧版 Word（.doc）文件，请另存为 .docx 后再检查")
    if kind == "rtf":
        raise ReportParseError("不支持 RTF 格式的文件，请用 Word 另存为 .docx 后再检查")
    if kind == "ofd":
        raise ReportParseError("暂不支持 OFD 格式，请提供 PDF、Word 或网页版本")
    if kind == "xlsx":
        raise ReportParseError("这是 Excel 表格文件，不是年度报告；请提供 PDF、Word 或网页版本")
    if kind == "zip":
        raise ReportParseError(
            "这是一个压缩包，不是 Word 文档（其中没有 word/document.xml）；"
            "请解压后逐个提交其中的年度报告文件"
        )
    if kind == "json":
        from gongkai.domain.report.parsers.json import parse_json

        try:
            return ParseResult(parse_json(data), kind)
        except ReportParseError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ReportParseError(f"JSON 文件不是 gongkai 年度报告格式：{exc}") from exc
    from gongkai.domain.report.parsers.extract import build_report

    abrupt = False
    doubtful: frozenset[Source] = frozenset()
    if kind == "docx":
        from gongkai.domain.report.parsers.docx import docx_blocks

        blocks = docx_blocks(data)
    elif kind == "pdf":
        from gongkai.domain.report.parsers.pdf import read_pdf

        blocks, doubtful = read_pdf(data)
    elif kind == "image":
        from gongkai.domain.report.parsers.ocr import image_blocks

        blocks = image_blocks(data)
    elif kind == "html":
        from gongkai.domain.report.parsers.html import html_blocks

        blocks = html_blocks(data)
        tail = data[-256:].lower()
        abrupt = b"</html>" not in tail and b"</body>" not in tail
    else:
        from gongkai.domain.report.parsers.text import decode, text_blocks

        text = decode(data)
        blocks = text_blocks(text)
        abrupt = not text.endswith(("\n", "\r", "|"))
    check_blocks(len(blocks))
    check_digit_runs(_texts(blocks))
    from gongkai.domain.report.parsers.script import simplified_blocks

    blocks = simplified_blocks(blocks)
    report = build_report(blocks, kind, abrupt_end=abrupt)
    if doubtful:
        from gongkai.domain.report.parsers.pdf import mark_unreadable

        report = mark_unreadable(report, doubtful)
    return ParseResult(report, kind)
