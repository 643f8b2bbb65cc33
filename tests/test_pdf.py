"""gongkai.pdf: the report printed by Chromium, with its CJK fonts embedded."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from gongkai.domain.report.parsers import parse_report
from gongkai.pdf import PdfError, chromium, report_pdf
from tests.report.fixtures import WANCHENG

TRUETYPE_CJK = ("AR PL UMing CN", "AR PL UKai CN", "WenQuanYi Zen Hei")


def _installed(family: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    return family in subprocess.run(["fc-list"], capture_output=True, text=True).stdout


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
@pytest.mark.skipif(
    not all(_installed(f) for f in TRUETYPE_CJK), reason="TrueType CJK fonts not installed"
)
def test_every_font_is_embedded_as_a_subset_cid_font() -> None:
    report = parse_report(WANCHENG.read_bytes(), WANCHENG.name).report
    pdf = report_pdf(report)
    assert b"/Type3" not in pdf  # glyphs drawn as procedures: no real font in the file
    names = set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[A-Za-z]+)", pdf))
    assert {name.split(b"+")[1] for name in names} == {b"UMingCN", b"UKaiCN", b"WenQuanYiZenHei"}
    assert pdf.count(b"/FontFile2") == 3  # TrueType programs embedded


def test_a_missing_browser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_CHROMIUM", "no-such-browser-here")
    report = parse_report(WANCHENG.read_bytes(), WANCHENG.name).report
    with pytest.raises(PdfError, match="未安装 Chromium"):
        report_pdf(report)
