"""Hostile files end with the parser's own error, fast and in little memory (issue 9).

Every file of the hostile corpus (tests/report/hostile.py, generated into a temporary folder) is
read in a child process that reports its time and peak memory; `gongkai check` on each exits 2
with a Chinese reason and no traceback; and mutated corpus files raise nothing but
ReportParseError.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.report.parsers import Limits, ReportParseError, parse_report
from gongkai.domain.report.renderers import render
from tests.report.hostile import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
MAX_SECONDS = 5.0
MAX_MEGABYTES = 300

# Reads one file in a fresh interpreter and prints what happened, its time and peak memory. The
# peak is VmHWM of the child's own address space: ru_maxrss survives exec on Linux, so it would
# report the peak of the (large) pytest process that forked the child.
_CHILD = """
import json, sys, time
from gongkai.domain.report.parsers import ReportParseError, parse_report
path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
start = time.perf_counter()
try:
    parse_report(data, path)
    outcome, message = "parsed", ""
except ReportParseError as exc:
    outcome, message = "ReportParseError", str(exc)
except BaseException as exc:
    outcome, message = type(exc).__name__, str(exc)[:200]
seconds = time.perf_counter() - start
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
print(json.dumps({"outcome": outcome, "message": message, "seconds": seconds, "mb": peak}))
"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, make in HOSTILE.items():
        make(folder / name)
    return folder


def read_in_child(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    measured: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_ends_with_the_parsers_error_quickly(hostile_dir: Path, name: str) -> None:
    measured = read_in_child(hostile_dir / name)
    assert measured["outcome"] == "ReportParseError", measured
    assert float(measured["seconds"]) < MAX_SECONDS, measured  # type: ignore[arg-type]
    assert float(measured["mb"]) < MAX_MEGABYTES, measured  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_gongkai_check_exits_2_with_a_chinese_reason(hostile_dir: Path, name: str) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli.main", "check", str(hostile_dir / name)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert any("\u4e00" <= ch <= "\u9fff" for ch in output.split(name)[-1]), output


def test_a_member_that_lies_about_its_size_is_cut_at_the_limit(tmp_path: Path) -> None:
    """The declared size is a hint; only the bytes actually inflated count."""
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:p/>" * 400_000)  # 2.4 MB
    with pytest.raises(ReportParseError, match="过大"):
        parse_report(path.read_bytes(), "liar.docx", Limits(max_member_bytes=1024 * 1024))


def test_the_time_budget_stops_a_slow_document() -> None:
    text = ("一、总体情况\n" + "本机关全年主动公开政府信息。\n" * 20_000).encode()
    with pytest.raises(ReportParseError, match="超时"):
        parse_report(text, "slow.txt", Limits(seconds=0.0))


def test_limits_leave_a_real_report_alone() -> None:
    data = (CORPUS / "wancheng-office-2024.txt").read_bytes()
    assert parse_report(data, "wancheng.txt").report.year == 2024


# Mutated corpus files -------------------------------------------------------------------------


def _corpus_inputs() -> dict[str, bytes]:
    text = (CORPUS / "wancheng-office-2024.txt").read_bytes()
    report = parse_report(text, "wancheng.txt").report
    return {
        "txt": text,
        "html": render(report, "html"),
        "docx": render(report, "docx"),
        "json": render(report, "json"),
    }


_INPUTS = _corpus_inputs() if CORPUS.exists() else {}


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """Byte flips, cuts, insertions and repeated spans anywhere in the file."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        at = draw(st.integers(0, max(0, len(out) - 1)))
        if kind == "flip" and out:
            out[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del out[at : at + draw(st.integers(1, 4096))]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "repeat":
            span = bytes(out[at : at + draw(st.integers(1, 64))])
            out[at:at] = span * draw(st.integers(1, 200))
        else:
            del out[at:]
    return bytes(out)


def _docx_member_mutation(data: bytes, garbage: bytes) -> bytes:
    """A well-formed package whose document.xml is replaced by garbage."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = garbage if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, content)
    return buffer.getvalue()


def _parse_or_own_error(data: bytes, name: str) -> None:
    try:
        parse_report(data, name)
    except ReportParseError as exc:
        assert str(exc)  # a reason to show


@pytest.mark.skipif(not _INPUTS, reason="the corpus is not beside the repository")
@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "json"])
def test_mutated_corpus_files_raise_only_the_parsers_error(fmt: str) -> None:
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutations(_INPUTS[fmt]))
    def check(data: bytes) -> None:
        _parse_or_own_error(data, f"mutated.{fmt}")

    check()


@pytest.mark.skipif(not _INPUTS, reason="the corpus is not beside the repository")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_a_docx_with_a_garbage_document_part_raises_only_the_parsers_error(garbage: bytes) -> None:
    _parse_or_own_error(_docx_member_mutation(_INPUTS["docx"], garbage), "mutated.docx")
