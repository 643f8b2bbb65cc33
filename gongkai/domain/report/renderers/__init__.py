"""Renderers: an `AnnualReport` as HTML, .docx, plain text or JSON bytes (issue 2 §5, §6)."""

from __future__ import annotations

from collections.abc import Callable

from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.renderers.html import render_html
from gongkai.domain.report.renderers.json import render_json, report_to_dict
from gongkai.domain.report.renderers.text import render_text


def render_docx(report: AnnualReport) -> bytes:
    # Imported on use: python-docx is not needed by `gongkai check --json`.
    from gongkai.domain.report.renderers.docx import render_docx as render

    return render(report)


RENDERERS: dict[str, Callable[[AnnualReport], bytes]] = {
    "html": render_html,
    "docx": render_docx,
    "txt": render_text,
    "json": render_json,
}

FORMATS = tuple(RENDERERS)


def render(report: AnnualReport, fmt: str) -> bytes:
    """The report in format `fmt` (html, docx, txt, json)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}") from None
    return renderer(report)


__all__ = ["FORMATS", "render", "report_to_dict"]
