"""How much of a document the parsers will read: limits against hostile files (issue 9).

A published annual report is 10–40 pages: its text is a few hundred KB, its Word XML one or two
MB, its tables a few hundred rows. The limits below are one to two orders of magnitude above
that, and low enough that no file can take a worker's memory or time: past one, the parser raises
`ReportParseError` with a Chinese message naming the limit (decision S-1). They are data: a
caller may pass other `Limits`.

The time budget is a deadline on the monotonic clock, checked inside the parsing loops; the
parsers stay deterministic in what they return, the clock only decides whether they give up.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from gongkai.domain.report.parsers.blocks import ReportParseError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # Any input file. PDFs carry fonts and images, so they may be larger than their text.
    max_file_bytes: int = 64 * MB
    # Text, HTML and JSON inputs (their whole size is text to parse).
    max_text_bytes: int = 4 * MB
    # Bytes inflated from one member of a .docx/.xlsx package (word/document.xml, a sheet).
    max_member_bytes: int = 8 * MB
    # Inflated ÷ compressed size a member may declare; Word XML deflates about 5–15:1.
    max_compression_ratio: int = 100
    # Paragraphs and table rows in one document.
    max_blocks: int = 50_000
    # Nesting of JSON arrays and objects (the report JSON is 5 deep).
    max_json_depth: int = 64
    max_pdf_pages: int = 300
    # Wall-clock budget for one document (reading, not checking).
    seconds: float = 30.0
    # Scanned pages and images are read by OCR, some seconds a page on two cores: a scanned
    # document gets its own budget from the moment OCR starts, and a cap on its pages.
    ocr_seconds: float = 600.0
    max_ocr_pages: int = 40
    # Pixels of one image (Pillow refuses decompression bombs past twice this): an A4 page at
    # 600 dpi is 35 million.
    max_image_pixels: int = 60_000_000
    # An OCR'd figure below this confidence is unreadable, never summed (decision AU-OCR-2).
    ocr_min_confidence: float = 0.80


DEFAULT_LIMITS = Limits()

_deadline: ContextVar[float | None] = ContextVar("gongkai_parse_deadline", default=None)
_limits: ContextVar[Limits] = ContextVar("gongkai_parse_limits", default=DEFAULT_LIMITS)


@contextmanager
def reading(limits: Limits) -> Iterator[None]:
    """Run the parsers under `limits`, with the time budget starting now."""
    deadline = _deadline.set(time.monotonic() + limits.seconds)
    current = _limits.set(limits)
    try:
        yield
    finally:
        _deadline.reset(deadline)
        _limits.reset(current)


def active_limits() -> Limits:
    return _limits.get()


def allow_ocr_time() -> None:
    """From now on the document may take `ocr_seconds` (OCR is slower than reading text)."""
    limits = active_limits()
    current = _deadline.get()
    if current is not None:
        _deadline.set(max(current, time.monotonic() + limits.ocr_seconds))


def check_time() -> None:
    """Give up when the document's time budget is spent (called inside the parsing loops)."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        seconds = active_limits().seconds
        raise ReportParseError(f"文件处理超时（超过 {seconds:g} 秒），文件可能已损坏或过于复杂")


def check_size(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise ReportParseError(f"{what}过大（{_mb(size)}，上限 {_mb(limit)}），不像是年度报告")


def check_blocks(count: int) -> None:
    limit = active_limits().max_blocks
    if count > limit:
        raise ReportParseError(f"文件中的段落和表格行超过 {limit:,} 个，不像是年度报告")


# No count, amount, date or document number in a report is longer; a longer run of digits is
# an attack on the number readers (int() stops at 4,300 digits) or garbage.
MAX_DIGIT_RUN = 100
_LONG_DIGITS = re.compile(rf"\d{{{MAX_DIGIT_RUN + 1}}}")


def check_digit_runs(texts: Iterable[str]) -> None:
    for text in texts:
        if _LONG_DIGITS.search(text):
            raise ReportParseError(f"文件中有超过 {MAX_DIGIT_RUN} 位的连续数字，不像是年度报告")


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.0f} KB"


def read_member(archive: object, name: str, what: str) -> bytes:
    """Inflate one zip member without ever holding more than the limit (zip bombs declare small
    sizes or none; only the bytes actually inflated count)."""
    import zipfile

    assert isinstance(archive, zipfile.ZipFile)
    limits = active_limits()
    info = archive.getinfo(name)
    check_size(info.file_size, limits.max_member_bytes, what)
    if info.compress_size and info.file_size > MB:
        ratio = info.file_size / info.compress_size
        if ratio > limits.max_compression_ratio:
            raise ReportParseError(f"{what}的压缩比异常（{ratio:.0f}:1），可能是压缩炸弹，拒绝读取")
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as member:
        while chunk := member.read(MB):
            total += len(chunk)
            check_size(total, limits.max_member_bytes, what)
            check_time()
            chunks.append(chunk)
    return b"".join(chunks)
