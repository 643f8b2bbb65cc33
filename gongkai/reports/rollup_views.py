"""The government roll-up: the page, its Excel workbook and the aggregate report.

Only a government has a roll-up, and only someone who may read the government (a 监督 of it or
above, or a member of it) sees it; anything else is the same 404 as a code that does not exist.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongkai.accounts.access import User
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.domain.report.aggregate import AggregateError
from gongkai.pdf import CONTENT_TYPES, PdfError, export
from gongkai.reports.access import get_organisation_for_user
from gongkai.reports.rollup import KeyFigures, aggregate_report, rollup
from gongkai.reports.rollup_xlsx import XLSX_TYPE, rollup_workbook

FIRST_YEAR = 2019  # the first year of the national tables (国办公开办函〔2019〕60号)
YEARS_SHOWN = 6
AGGREGATE_FORMATS = ("docx", "pdf", "html", "json")


def government_for_user(user: User, code: str) -> Organisation:
    """The government `code` if `user` may read it; 404 for anything else."""
    government = get_organisation_for_user(user, code)
    if government.kind != Organisation.Kind.GOVERNMENT:
        raise Http404("只有本级人民政府有年度报告汇总")
    return government


def _check_year(year: int, today: dt.date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise Http404("没有这个年度")


def _years(today: dt.date) -> list[int]:
    return list(range(today.year, max(FIRST_YEAR, today.year - YEARS_SHOWN + 1) - 1, -1))


@login_required
@require_GET
def rollup_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    government = government_for_user(request.user, code)
    today = timezone.localdate()
    _check_year(year, today)
    context = {
        "rollup": rollup(government, year, today),
        "government": government,
        "year": year,
        "years": _years(today),
        "figure_labels": KeyFigures.LABELS,
        "formats": AGGREGATE_FORMATS,
    }
    return render(request, "reports/rollup.html", context)


@login_required
@require_GET
def rollup_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    government = government_for_user(request.user, code)
    today = timezone.localdate()
    _check_year(year, today)
    content = rollup_workbook(rollup(government, year, today))
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"{government.name}{year}年度政府信息公开工作年度报告汇总表.xlsx"
    response["Content-Disposition"] = attachment(name, f"rollup-{code}-{year}.xlsx")
    _exported(request, government, name, {"report": "rollup", "year": year, "format": "xlsx"})
    return response


@login_required
@require_GET
def rollup_aggregate(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    government = government_for_user(request.user, code)
    _check_year(year, timezone.localdate())
    if fmt not in AGGREGATE_FORMATS:
        raise Http404("不支持这种格式")
    try:
        summed = aggregate_report(government, year)
    except AggregateError as exc:
        messages.error(request, f"无法生成汇总报告：{exc}")
        return redirect("reports:rollup", code=code, year=year)
    try:
        content = export(summed.report, fmt)
    except PdfError as exc:
        messages.error(request, str(exc))
        return redirect("reports:rollup", code=code, year=year)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"{government.name}{year}年政府信息公开工作年度报告（汇总）.{fmt}"
    response["Content-Disposition"] = attachment(name, f"rollup-{code}-{year}-aggregate.{fmt}")
    _exported(request, government, name, {"report": "aggregate", "year": year, "format": fmt})
    return response


def _exported(
    request: HttpRequest, government: Organisation, name: str, detail: dict[str, object]
) -> None:
    """Every roll-up file handed out is an audit entry (导出, GB/T 22239-2019 8.1.4.3)."""
    audit_record(
        AuditAction.EXPORT, request=request, obj=government, object_repr=name, detail=detail
    )


def attachment(filename: str, fallback: str) -> str:
    """RFC 6266 with RFC 5987 `filename*` for the Chinese name and an ASCII fallback."""
    ascii_name = fallback.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
