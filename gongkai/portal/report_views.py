"""政府信息公开年报 (条例第四十九–五十条) on the 专栏: every published version by year with its
date and dated correction notes, the report on the page, and the stored .docx/.pdf, anonymous
and byte for byte; a government's page lists its organisations' reports of a year."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from gongkai.accounts.models import Organisation
from gongkai.portal.cache import cached_page
from gongkai.portal.selectors import (
    children_reports,
    public_version_file,
    published_version,
    published_years,
    report_years,
    version_article,
)
from gongkai.portal.views import public_organisation

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@require_GET
@cached_page
def reports(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    children = list(organisation.children.order_by("code"))
    context = {
        "organisation": organisation,
        "years": published_years(organisation),
        "children_years": report_years(children) if children else [],
    }
    return render(request, "portal/reports.html", context)


@require_GET
@cached_page
def report_version(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    organisation = public_organisation(code)
    version = published_version(organisation, year, number)
    if version is None:
        raise Http404("没有这一版年度报告")
    later = next(y for y in published_years(organisation) if y.year == year)
    context = {
        "organisation": organisation,
        "version": version,
        "year": later,
        "article": mark_safe(version_article(version)),  # our renderer's escaped markup
    }
    return render(request, "portal/report_version.html", context)


@require_GET
def report_file(request: HttpRequest, code: str, year: int, number: int, fmt: str) -> FileResponse:
    """The stored file as published (not cached: it is read from storage as it is)."""
    organisation = public_organisation(code)
    stored = public_version_file(organisation, year, number, fmt)
    if stored is None:
        raise Http404("没有这个文件")
    name = f"{organisation.name}{year}年政府信息公开工作年度报告（第{number}版）.{fmt}"
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt]
    )


@require_GET
@cached_page
def reports_of_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The government's organisations and their report of `year` (published or not yet)."""
    government: Organisation = public_organisation(code)
    rows = children_reports(government, year)
    if not rows:
        raise Http404("该机构没有下属机构")
    context = {"organisation": government, "year": year, "rows": rows}
    return render(request, "portal/reports_year.html", context)
