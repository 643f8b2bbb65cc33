"""Print the corpus reports to PDF in the layouts of tests/report/test_pdf_layouts.py.

Usage (needs Debian's chromium and the fonts of .ci/run):

    uv run python tests/data/pdf/make_pdfs.py

Each report is read from its corpus text (/work/shared/corpus, read to its hand-checked truth
file by tests/report/test_corpus.py), its narrative shortened to the first sentence of each
section (the PDFs stay small; the tables are whole), rendered by gongkai's HTML renderer and
printed by Chromium with a style sheet of the layout's own appended. Chromium is run as
gongkai.pdf runs it, plus --disable-pdf-tagging: the structure tree of a tagged PDF would be
half of each file, and the reader does not use it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from gongkai.domain.report.model import AnnualReport, Section  # noqa: E402
from gongkai.domain.report.parsers import parse_report  # noqa: E402
from gongkai.domain.report.renderers import render  # noqa: E402
from gongkai.pdf import chromium  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
HERE = Path(__file__).resolve().parent

# One typeface for the whole page: one embedded font subset instead of three (smaller files).
ONE_FONT = (
    "body, h1, h2, h3, p, th, td { font-family: 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', "
    "sans-serif !important; }"
)
NO_RULINGS = "th, td { border: none !important; }"
# Narrow label columns: the labels of table 三 wrap over two or three lines.
NARROW_T3 = """
table.t3 col:nth-child(1) { width: 7% !important; }
table.t3 col:nth-child(2) { width: 9% !important; }
table.t3 col:nth-child(3) { width: 17% !important; }
table.t3 col:nth-child(n+4) { width: 9.57% !important; }
"""
# Table 三 in a larger type, allowed to break: it runs over two pages, its header repeated.
SPLIT_T3 = """
table.t3 { font-size: 12pt !important; line-height: 1.5 !important; break-inside: auto !important; }
table.t3 th, table.t3 td { padding: 3pt 3pt !important; }
"""
# Word's look: cells top-aligned, figures right-aligned, 0.19 cm cell margins, no header repeated
# on the next page, table 三 broken by the page.
WORD_LIKE = """
th, td { border: none !important; vertical-align: top !important; padding: 0 5.4pt !important; }
td { text-align: right !important; }
thead { display: table-row-group; }
table.t3 { font-size: 10.5pt !important; line-height: 1.3 !important; break-inside: auto !important; }
table.t3 col:nth-child(1) { width: 8% !important; }
table.t3 col:nth-child(2) { width: 10% !important; }
table.t3 col:nth-child(3) { width: 22% !important; }
table.t3 col:nth-child(n+4) { width: 8.57% !important; }
"""
# Landscape A4, partly ruled: only horizontal rules between rows, none between columns.
LANDSCAPE = """
@page { size: A4 landscape; margin: 20mm 25mm; }
body { max-width: none !important; }
th, td { border: none !important; border-bottom: 0.75pt solid #000 !important; }
"""

LAYOUTS: dict[str, tuple[str, str]] = {
    # file name: (corpus report, extra style)
    "wancheng-ruled.pdf": ("wancheng-office-2024", ""),
    "wancheng-unruled-narrow.pdf": ("wancheng-office-2024", NO_RULINGS + NARROW_T3),
    "wancheng-unruled-split.pdf": ("wancheng-office-2024", NO_RULINGS + NARROW_T3 + SPLIT_T3),
    "wancheng-word-like.pdf": ("wancheng-office-2024", WORD_LIKE),
    "wancheng-landscape.pdf": ("wancheng-office-2024", LANDSCAPE + NARROW_T3),
    "township-2019-ruled-narrow.pdf": ("township-2019-blank", NARROW_T3),
}

_SENTENCE = re.compile(r"^.*?[。；]")


def shortened(report: AnnualReport) -> AnnualReport:
    """Each section's text cut to its first sentence (sub-headings dropped)."""
    sections = []
    for section in report.sections:
        first = next((line for line in section.text.splitlines() if len(line) > 20), "")
        match = _SENTENCE.match(first)
        sections.append(replace(section, text=match[0] if match else first[:40], subsections=()))
    return replace(report, sections=tuple(sections), preamble="")


def completed(report: AnnualReport) -> AnnualReport:
    """Sections 五 and 六 where the source page was cut after table 四 (township-2019-blank):
    a complete report has text after table 四, and a blank table 四 is only told from a cut one by
    the heading that follows it. The tables are untouched."""
    present = {s.number for s in report.sections}
    extra = tuple(
        Section(number, heading, "无。")
        for number, heading in ((5, "五、存在的主要问题及改进情况"), (6, "六、其他需要报告的事项"))
        if number not in present
    )
    return replace(report, sections=report.sections + extra)


def page(name: str, style: str) -> str:
    data = (CORPUS / f"{name}.txt").read_bytes()
    report = completed(shortened(parse_report(data, f"{name}.txt").report))
    html = render(report, "html").decode("utf-8")
    return html.replace("</head>", f"<style>{ONE_FONT}\n{style}</style>\n</head>", 1)


def print_pdf(html: str) -> bytes:
    browser = chromium()
    if browser is None:
        raise SystemExit("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        source, target = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        source.write_text(html, "utf-8")
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                "--disable-pdf-tagging",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return target.read_bytes()


def main() -> None:
    only = set(sys.argv[1:])
    for file, (name, style) in LAYOUTS.items():
        if only and file not in only:
            continue
        (HERE / file).write_bytes(print_pdf(page(name, style)))
        print(file, (HERE / file).stat().st_size)


if __name__ == "__main__":
    main()
