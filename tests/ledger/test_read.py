"""Reading an office's .xlsx: headers and rows, or a Chinese message — never a traceback."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest
from openpyxl import Workbook

from gongkai.cases.ledger import MAX_ROWS, LedgerFileError, read_ledger
from tests.ledger.workbooks import HEADERS, row, xlsx


def test_it_reads_the_header_and_the_data_rows() -> None:
    sheet = read_ledger(xlsx([row(1), row(2, name="王五")]))
    assert sheet.name == "2025年"
    assert sheet.header_row == 1
    assert sheet.headers == tuple(HEADERS)
    assert [r.number for r in sheet.rows] == [2, 3]
    assert sheet.rows[1].cells[1] == "王五"
    assert sheet.rows[0].cells[6] == dt.datetime(2025, 3, 3)  # noqa: DTZ001


def test_it_finds_the_header_below_a_title_and_skips_empty_rows() -> None:
    data = xlsx(
        [row(1), [], [None, None], row(2)], title="宛城区人民政府办公室2025年依申请公开台账"
    )
    sheet = read_ledger(data)
    assert sheet.header_row == 2
    assert [r.number for r in sheet.rows] == [3, 6]


def test_it_reads_the_sheet_asked_for_and_names_the_others() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "2024年"
    first.append(HEADERS)
    first.append(row(1, name="甲"))
    second = workbook.create_sheet("2025年")
    second.append(HEADERS)
    second.append(row(1, name="乙"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read_ledger(buffer.getvalue(), sheet="2025年")
    assert sheet.sheet_names == ("2024年", "2025年")
    assert sheet.rows[0].cells[1] == "乙"
    with pytest.raises(LedgerFileError, match="没有名为“2026年”的工作表"):
        read_ledger(buffer.getvalue(), sheet="2026年")


def test_column_names_give_letter_and_header() -> None:
    sheet = read_ledger(xlsx([row(1)]))
    assert sheet.column_name(6) == "G列「受理日期」"


def _refused(data: bytes) -> str:
    with pytest.raises(LedgerFileError) as caught:
        read_ledger(data)
    return caught.value.message


def test_a_truncated_file_is_refused() -> None:
    data = xlsx([row(1)])
    assert "不完整或已损坏" in _refused(data[: len(data) // 2])


def test_random_bytes_are_refused() -> None:
    assert "不是 Excel 工作簿" in _refused(os.urandom(4096))


def test_random_bytes_behind_a_zip_signature_are_refused() -> None:
    assert "不完整或已损坏" in _refused(b"PK\x03\x04" + os.urandom(4096))


def test_an_old_xls_is_refused_with_the_way_out() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert "另存为" in _refused(ole2) and ".xls" in _refused(ole2)


def test_an_empty_file_is_refused() -> None:
    assert _refused(b"") == "文件是空的"


def test_a_workbook_with_an_empty_sheet_is_refused() -> None:
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "工作簿是空的" in _refused(buffer.getvalue())


def test_a_header_without_rows_is_refused() -> None:
    assert "下面没有数据行" in _refused(xlsx([]))


def test_another_zip_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "不是 Excel 工作簿" in _refused(buffer.getvalue())


def test_a_damaged_workbook_part_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([row(1)]))) as source, zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                content = content[:50]
            out.writestr(item, content)
    assert "无法读取" in _refused(buffer.getvalue())


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.cases.ledger.MAX_ROWS", 3)
    assert MAX_ROWS > 3
    assert "行数过多" in _refused(xlsx([row(n) for n in range(30)]))
