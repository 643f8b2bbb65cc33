"""审核批次 pages for a government's supervisors: the batches and the upload form, a batch with its
progress and its reports (sortable by risk), one report with its findings marked in its tables
and text (each finding a 整改 task in one click when the agency is an organisation of the app),
the summary as .xlsx/.csv/.json and the original file."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.web import acting_user, show_refusal
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.parsers.json import parse_json
from gongkai.domain.report.renderers.html import column_css
from gongkai.reports.rollup_views import attachment
from gongkai.supervision.access import get_supervised_root
from gongkai.supervision.audit_access import (
    get_audited_file_for_user,
    get_batch_for_user,
    readable_batches,
)
from gongkai.supervision.audit_export import CONTENT_TYPES, WRITERS
from gongkai.supervision.audit_jobs import audit_batch_start
from gongkai.supervision.audit_render import ShownFinding, render_marked, shown_findings
from gongkai.supervision.audit_services import (
    audit_batch_create,
    audit_batch_delete,
    audit_batch_retry,
    finding_of,
)
from gongkai.supervision.audit_upload import REPORT_SUFFIXES, read_uploads
from gongkai.supervision.models import AuditedFile

SORTS = {
    "risk": ("-risk", "-errors", "-warnings", "position"),
    "errors": ("-errors", "-warnings", "position"),
    "agency": ("agency", "year", "position"),
    "position": ("position",),
}
# A region's batch holds thousands of reports: the batch page lists them a page at a time.
FILES_PER_PAGE = 200


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest, code: str) -> HttpResponse:
    """The government's batches, newest first, and the upload form (POST creates a batch)."""
    root = get_supervised_root(request.user, code)
    error = ""
    if request.method == "POST":
        try:
            uploads = read_uploads(
                request.FILES.getlist("files"), max_bytes=settings.AUDIT_MAX_BYTES
            )
            batch = audit_batch_create(
                by=acting_user(request),
                government=root,
                uploads=uploads,
                max_bytes=settings.AUDIT_MAX_BYTES,
                title=request.POST.get("title", ""),
                request=request,
            )
        except ServiceError as exc:
            if exc.kind == "forbidden":
                show_refusal(request, exc)
            error = exc.message
        else:
            audit_batch_start(batch)
            messages.success(request, f"已上传{batch.total}个文件，正在审核")
            return redirect("supervision:audit_batch", pk=batch.pk)
    context = {
        "root": root,
        "batches": readable_batches(request.user).filter(government=root)[:100],
        "error": error,
        "title": request.POST.get("title", "") if error else "",
        "suffixes": "、".join(REPORT_SUFFIXES),
        "accept": ",".join((".zip", *REPORT_SUFFIXES)),
        "max_mb": settings.AUDIT_MAX_BYTES // (1024 * 1024),
        "current": "supervision",
    }
    return render(request, "supervision/audit_index.html", context, status=400 if error else 200)


@login_required
@require_GET
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, pk)
    sort = request.GET.get("sort", "position")
    if sort not in SORTS:
        sort = "position"
    files = batch.files.order_by(*SORTS[sort]).select_related("organisation", "previous")
    # The page needs neither the reports nor their findings (the previous year's neither).
    files = files.defer("report", "findings", "previous__report", "previous__findings")
    page = (
        Paginator(files, FILES_PER_PAGE).get_page(request.GET.get("page"))
        if batch.finished
        else None
    )
    context = {
        "batch": batch,
        "root": batch.government,
        "files": page or [],
        "page": page,
        "sort": sort,
        "formats": sorted(WRITERS),
        "current": "supervision",
    }
    return render(request, "supervision/audit_batch.html", context)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, pk)
    code = batch.government.code
    if not request.POST.get("confirm"):
        messages.error(request, "请勾选“确认删除”后再删除")
        return redirect("supervision:audit_batch", pk=pk)
    try:
        audit_batch_delete(by=acting_user(request), batch=batch, request=request)
    except ServiceError as exc:
        show_refusal(request, exc)
        return redirect("supervision:audit_batch", pk=pk)
    messages.success(request, f"已删除审核批次{pk}及其文件")
    return redirect("supervision:audit_index", code=code)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, pk)
    try:
        audit_batch_retry(by=acting_user(request), batch=batch)
    except ServiceError as exc:
        show_refusal(request, exc)
    else:
        audit_batch_start(batch)
        messages.success(request, "已重新开始审核，已审核的文件不再重复")
    return redirect("supervision:audit_batch", pk=pk)


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The batch page polls this while the job runs."""
    batch = get_batch_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": batch.status,
            "status_label": batch.get_status_display(),
            "done": batch.done,
            "total": batch.total,
            "percent": batch.percent,
            "finished": batch.finished,
        }
    )


@login_required
@require_GET
def summary(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    batch = get_batch_for_user(request.user, pk)
    if fmt not in WRITERS or not batch.finished:
        return redirect("supervision:audit_batch", pk=pk)
    files = list(batch.files.order_by("position").select_related("organisation", "previous"))
    base = request.build_absolute_uri("/").rstrip("/")

    def url_of(row: AuditedFile) -> str:
        return base + reverse("supervision:audit_file", args=[row.pk])

    content = WRITERS[fmt](batch, files, url_of)
    audit_record(
        AuditAction.EXPORT,
        request=request,
        obj=batch,
        organisation=batch.government.code,
        detail={"format": fmt, "files": len(files)},
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"{batch.government.name}审核批次{batch.pk}汇总.{fmt}"
    response["Content-Disposition"] = attachment(name, f"audit-batch-{batch.pk}.{fmt}")
    return response


@login_required
@require_GET
def file_page(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_audited_file_for_user(request.user, pk)
    report = parse_json(_json_bytes(row.report)) if row.report else None
    shown = shown_findings(report, [finding_of(f) for f in row.findings])
    page = reverse("supervision:audit_file", args=[row.pk])
    context: dict[str, Any] = {
        "row": row,
        "batch": row.batch,
        "root": row.batch.government,
        # Every text is escaped by the renderer; the widths go to a style sheet with the CSP nonce.
        "article": mark_safe(render_marked(report, shown)) if report else "",
        "column_css": column_css(report) if report else "",
        "findings": [(f, _task_link(row, f, page)) for f in shown],
        "errors": [f for f in shown if f.severity is Severity.ERROR],
        "report_task": _report_task_link(row, shown, page),
        "current": "supervision",
    }
    return render(request, "supervision/audit_file.html", context)


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


@login_required
@require_GET
def original(request: HttpRequest, pk: int) -> FileResponse:
    row = get_audited_file_for_user(request.user, pk)
    audit_record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=row,
        organisation=row.batch.government.code,
        detail={"batch": row.batch_id, "name": row.name},
    )
    name = row.name.rsplit("/", 1)[-1]
    return FileResponse(
        row.upload.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/octet-stream",
    )


# ---------------------------------------------------------------- 整改 from a finding


def _task_link(row: AuditedFile, finding: ShownFinding, page: str) -> str | None:
    """The 整改 form prefilled from one finding (supervision:rectification_new, GET), when the
    report's agency is an organisation of the app below the batch's government."""
    if row.organisation is None or finding.severity is Severity.INFO:
        return None
    what = finding.rule_title or finding.message
    return _rectification_url(
        row,
        source_ref=f"audit:{row.batch_id}:{row.pk}:{finding.rule}:{finding.where}"[:200],
        source_url=f"{page}#f{finding.number}",
        title=f"{_year_label(row)}年度报告：{finding.rule} {what}"[:200],
        detail=(
            f"{finding.place}：{finding.message}（规则 {finding.rule}，{finding.severity.label}）。"
            f"来源：审核批次{row.batch_id}的文件“{row.name}”。请核实并更正报告，反馈整改情况。"
        ),
    )


def _report_task_link(row: AuditedFile, shown: list[ShownFinding], page: str) -> str | None:
    """One 整改 task for all the errors and warnings of the report."""
    serious = [f for f in shown if f.severity is not Severity.INFO]
    if row.organisation is None or not serious:
        return None
    lines = "；".join(f"{f.rule} {f.place}：{f.message}" for f in serious[:20])
    more = f"等{len(serious)}项" if len(serious) > 20 else ""
    return _rectification_url(
        row,
        source_ref=f"audit:{row.batch_id}:{row.pk}",
        source_url=page,
        title=f"{_year_label(row)}年度报告存在{len(serious)}个问题"[:200],
        detail=f"{lines}{more}。来源：审核批次{row.batch_id}的文件“{row.name}”。请逐项核实更正并反馈。",
    )


def _year_label(row: AuditedFile) -> str:
    return str(row.year) if row.year else ""


def _rectification_url(
    row: AuditedFile, *, source_ref: str, source_url: str, title: str, detail: str
) -> str:
    assert row.organisation is not None
    query = {
        "source_kind": "report_audit",
        "source_ref": source_ref,
        "source_url": source_url,
        "organisation": row.organisation.code,
        "title": title,
        "detail": detail,
    }
    base = reverse("supervision:rectification_new", args=[row.batch.government.code])
    return f"{base}?{urlencode(query)}"
