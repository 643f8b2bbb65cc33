"""PDF from the report's HTML layout, printed by headless Chromium (Debian `chromium`).

Chromium embeds subsets of the fonts it lays out with (Noto CJK from fonts-noto-cjk), so the PDF
shows the same characters on any reader and its text can be extracted again (pdfplumber).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.renderers import render

# GONGKAI_CHROMIUM names another binary (e.g. google-chrome) where Debian's is not installed.
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
_TIMEOUT_SECONDS = 120


# The media types of the export formats, for downloads.
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
}


class PdfError(Exception):
    """PDF could not be produced; the message is for the user, in Chinese."""


def chromium() -> str | None:
    configured = os.environ.get("GONGKAI_CHROMIUM")
    if configured:
        return shutil.which(configured)
    return next((found for name in _CANDIDATES if (found := shutil.which(name))), None)


def html_to_pdf(page: str) -> bytes:
    """Print one HTML page to PDF (A4, the page's own @page margins, no header or footer)."""
    browser = chromium()
    if browser is None:
        raise PdfError("无法生成PDF：本机未安装 Chromium 浏览器（Debian：apt install chromium）")
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        source, target = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        source.write_text(page, "utf-8")
        try:
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--user-data-dir={tmp}/profile",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={target}",
                    source.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"生成PDF超时（{_TIMEOUT_SECONDS}秒）") from exc
        except subprocess.CalledProcessError as exc:
            raise PdfError(f"生成PDF失败：Chromium 退出码 {exc.returncode}") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise PdfError("生成PDF失败：Chromium 未输出文件")
        return target.read_bytes()


def report_pdf(report: AnnualReport) -> bytes:
    """The report as PDF, from the same layout as the HTML export."""
    return html_to_pdf(render(report, "html").decode("utf-8"))


def export(report: AnnualReport, fmt: str) -> bytes:
    """The report in any output format: pdf here, the others by the domain's renderers."""
    return report_pdf(report) if fmt == "pdf" else render(report, fmt)
