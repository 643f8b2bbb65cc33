"""A complete, printable HTML page of the report with the official merged table headers.

Every numeric `<td>` carries `data-key="t3.r_open.natural"` (the key of spec.md §1.4–1.6) so
that the web application can link a figure to the records behind it; a cell that is not a
plain number also carries `data-state` (blank, placeholder, invalid).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from gongkai.domain.report.model import AnnualReport, CellState
from gongkai.domain.report.renderers.document import Heading, Paragraph, Table, build_document
from gongkai.domain.report.renderers.grid import TEXT_WIDTH_MM, Grid, GridCell, Kind

FALLBACK_TITLE = "政府信息公开工作年度报告"

CellHref = Callable[[str], str | None]  # cell key (t3.r_open.natural) → address or None

# Print layout after GB/T 9704-2012: A4, margins 37/26/35/28 mm, 仿宋 三号 body on a 28.95 pt
# line grid (22 lines a page), 小标宋 二号 title, 黑体 and 楷体 headings. Where the official
# fonts are missing (Linux servers) the TrueType AR PL UMing/UKai and WenQuanYi Zen Hei stand in:
# Chromium embeds TrueType as CID fonts, Noto CJK (CFF outlines) only as Type 3 glyphs.
CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
/* GB/T 9704-2012 7.5: page numbers in 4号 半角宋体, a 一字线 on each side, 7 mm below the type
   area; odd pages on the right, even pages on the left, one character in from the edge. */
@page :right { @bottom-right { content: "— " counter(page) " —"; font-family: "宋体", SimSun,
  "AR PL UMing CN", "Noto Serif CJK SC", serif; font-size: 14pt; vertical-align: top;
  padding-top: 7mm; padding-right: 14pt; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-family: "宋体", SimSun,
  "AR PL UMing CN", "Noto Serif CJK SC", serif; font-size: 14pt; vertical-align: top;
  padding-top: 7mm; padding-left: 14pt; } }
body { margin: 0 auto; max-width: TEXT_WIDTHmm; color: #000;
  font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong, "AR PL UMing CN", "Noto Serif CJK SC", serif;
  font-size: 16pt; line-height: 28.95pt; }
/* No background when printed: PDF readers (pdfplumber) take a filled page rectangle for a table
   border and swallow the headings between the tables into one table. */
@media screen { body { padding: 12mm 8mm; background: #fff; } }
h1 { font-family: "方正小标宋简体", "方正小标宋_GBK", "华文中宋", STZhongsong, "宋体", SimSun,
  "AR PL UMing CN", "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal; line-height: 1.45;
  text-align: center; margin: 0 0 28.95pt; word-break: keep-all; }
h2, h3 { font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; break-after: avoid; }
h2 { font-family: "黑体", SimHei, "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; }
h3 { font-family: "楷体_GB2312", "楷体", KaiTi, STKaiti, "AR PL UKai CN", serif; }
p { margin: 0; text-indent: 2em; text-align: justify; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 8pt 0 14pt;
  font-size: 10.5pt; line-height: 1.35; }
th, td { border: 1px solid #000; padding: 2pt 3pt; text-align: center; vertical-align: middle;
  font-weight: normal; overflow-wrap: anywhere; }
th.label { text-align: left; }
tr { break-inside: avoid; }
/* Table 三 (30 rows) fits one page in 五号 with one-line labels: it is kept whole, on the next page
   when the rest of this one is too short, never split after its header and two rows. */
table.t3 { font-size: 9pt; line-height: 1.25; break-inside: avoid; }
table.t3 th, table.t3 td { padding: 1pt 2pt; }
h2 + table, h2 + p + table { break-before: avoid; }
""".replace("TEXT_WIDTH", f"{TEXT_WIDTH_MM:g}")


def render_html(report: AnnualReport) -> bytes:
    title = build_document(report).title or FALLBACK_TITLE
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        render_article(report),
        "</body>",
        "</html>",
    ]
    return ("\n".join(out) + "\n").encode("utf-8")


def render_article(
    report: AnnualReport, cell_href: CellHref | None = None, *, inline_widths: bool = True
) -> str:
    """The report as an `<article>` to embed in a page; `cell_href(key)` makes a figure a link
    (to the records behind it) where it returns an address.

    `inline_widths=False` leaves the column widths out of the markup (no `style` attribute, which
    a Content-Security-Policy without 'unsafe-inline' refuses): the page then carries
    `column_css(report)` in a style sheet of its own."""
    document = build_document(report)
    out = ['<article class="annual-report">']
    if document.title:
        out.append(f'<h1 class="report-title">{title_html(document.title)}</h1>')
    out.extend(f'<p class="preamble">{escape(line)}</p>' for line in document.preamble)
    seen: set[int] = set()
    for block in document.blocks:
        match block:
            case Heading(text=text, level=1, number=number):
                anchor = ""
                if number is not None and number not in seen:
                    seen.add(number)
                    anchor = f' id="s{number}"'
                out.append(f"<h2{anchor}>{escape(text)}</h2>")
            case Heading(text=text):
                out.append(f"<h3>{escape(text)}</h3>")
            case Paragraph(text=text):
                out.append(f"<p>{escape(text)}</p>")
            case Table(grid=grid):
                out.extend(table_html(grid, cell_href, inline_widths=inline_widths))
    out.append("</article>")
    return "\n".join(out)


# Where a title may break (the page keeps CJK words whole: `word-break: keep-all`): before the
# year and before the fixed words of the report's name, never inside 公开 or 工作.
_TITLE_BREAKS = re.compile(r"(?=\d{4}年)|(?=政府信息公开)|(?=工作年度报告)")


def title_html(title: str) -> str:
    """The title, escaped, with `<wbr>` at the places a line may break."""
    parts = [part for part in _TITLE_BREAKS.split(title) if part]
    return "<wbr>".join(escape(part) for part in parts)


def column_css(report: AnnualReport) -> str:
    """The column widths of the report's tables as CSS rules for `render_article`'s markup."""
    rules: list[str] = []
    for block in build_document(report).blocks:
        if isinstance(block, Table):
            grid = block.grid
            rules.extend(
                f".annual-report table.{grid.name} col:nth-child({n}) {{ width: {width} }}"
                for n, width in enumerate(_widths(grid), start=1)
            )
    return "\n".join(rules)


def _widths(grid: Grid) -> list[str]:
    total = sum(grid.widths_mm)
    return [f"{100 * w / total:.2f}%" for w in grid.widths_mm]


def table_html(
    grid: Grid, cell_href: CellHref | None = None, *, inline_widths: bool = True
) -> list[str]:
    out = [f'<table class="report-table {grid.name}">', "<colgroup>"]
    if inline_widths:
        out.extend(f'<col style="width:{width}">' for width in _widths(grid))
    else:
        out.extend("<col>" for _ in grid.widths_mm)
    out.append("</colgroup>")
    rows = grid.rows()
    if grid.header_rows:
        out.append("<thead>")
        out.extend(_row_html(row, None) for row in rows[: grid.header_rows])
        out.append("</thead>")
    out.append("<tbody>")
    out.extend(_row_html(row, cell_href) for row in rows[grid.header_rows :])
    out.extend(["</tbody>", "</table>"])
    return out


def _row_html(cells: list[GridCell], cell_href: CellHref | None) -> str:
    return "<tr>" + "".join(_cell_html(cell, cell_href) for cell in cells) + "</tr>"


def _cell_html(cell: GridCell, cell_href: CellHref | None) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    text = escape(cell.text)
    if cell.kind is Kind.VALUE:
        key = escape(cell.key or "")
        state = ""
        if cell.state is not None and cell.state is not CellState.VALUE:
            state = f' data-state="{cell.state.value}"'
        href = cell_href(cell.key) if cell_href and cell.key else None
        if href:
            text = f'<a href="{escape(href)}">{text}</a>'
        return f'<td data-key="{key}"{state}{attrs}>{text}</td>'
    return f'<th class="{cell.kind.value}"{attrs}>{text}</th>'
