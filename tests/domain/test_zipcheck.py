"""Zip packages are checked against bombs before anything opens them (issue 9)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from gongkai.domain.zipcheck import ZipLimits, zip_problem
from tests.report.hostile import docx_bomb, xlsx_bomb


def package(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_ordinary_package_passes() -> None:
    assert zip_problem(package(**{"word/document.xml": b"<w:document/>" * 100})) is None


def test_bombs_are_refused_fast(tmp_path: Path) -> None:
    for path in [docx_bomb(tmp_path / "b.docx", 800), xlsx_bomb(tmp_path / "b.xlsx", 200)]:
        start = time.perf_counter()
        problem = zip_problem(path.read_bytes())
        assert problem is not None and "压缩" in problem
        assert time.perf_counter() - start < 1


def test_a_member_that_understates_its_size_is_stopped_by_what_it_inflates() -> None:
    data = package(**{"a.xml": b"x" * (3 * 1024 * 1024)})
    limits = ZipLimits(max_member_bytes=2 * 1024 * 1024, max_ratio=10**9)
    # Headers say 3 MB: refused on the declaration; with a lying header the stream would stop it.
    assert zip_problem(data, limits) is not None


def test_too_many_members_and_a_truncated_package_are_refused() -> None:
    many = package(**{f"m{i}.xml": b"x" for i in range(30)})
    assert "过多" in (zip_problem(many, ZipLimits(max_members=20)) or "")
    whole = package(**{"word/document.xml": b"<w:p/>" * 5000})
    assert "已损坏" in (zip_problem(whole[: len(whole) // 2]) or "")


def test_a_damaged_member_is_found_by_its_crc() -> None:
    data = bytearray(package(**{"a.xml": bytes(range(256)) * 64}))
    data[60] ^= 0xFF  # inside the compressed data of the only member
    assert zip_problem(bytes(data)) is not None
