"""Screens of the annual report: list, report with drill-down, narrative, checks and publishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.services import ServiceError
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.publication import days_left
from gongkai.domain.report.renderers.html import column_css, render_article
from gongkai.domain.report.schema import FormatVersion, layout
from gongkai.pdf import CONTENT_TYPES, PdfError
from gongkai.pdf import export as export_report
from gongkai.reports import access
from gongkai.reports.build import (
    T2_DOCUMENT_COLUMNS,
    draft_narrative,
    format_of,
    period_tables,
    t2_documents,
    table2,
)
from gongkai.reports.checks import (
    FIRST_YEAR,
    current_report,
    deadline_of,
    narrative_of,
    pre_publish,
    previous_report,
)
from gongkai.reports.finding_places import shown_findings
from gongkai.reports.models import (
    EnforcementFigures,
    PriorReport,
    ReportDraft,
    ReportVersion,
)
from gongkai.reports.rollup import timing
from gongkai.reports.rollup_views import attachment
from gongkai.reports.selectors import changes_since, state_of, stored_version_file
from gongkai.reports.services import (
    differs_from_version,
    narrative_save,
    prior_report_upload,
    report_publish,
    version_file_downloaded,
)
from gongkai.reports.tables import (
    keyset_page,
    parse_cursor,
    t3_cell_applications,
    t4_cell_appeals,
)

EXPORTS = {"docx", "html", "pdf", "json"}


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _report_year(today: dt.date) -> int:
    """The year whose report is being written now: last year's, from 1 January."""
    return today.year - 1


def _years(today: dt.date) -> list[int]:
    return list(range(today.year, FIRST_YEAR - 1, -1))


def _check_year(year: int, today: dt.date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise Http404("没有这个年度的报告")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or _report_year(today))
    except ValueError:
        year = _report_year(today)
    _check_year(year, today)
    rows = [
        _index_row(organisation, year, today)
        for organisation in access.readable_organisations(request.user)
    ]
    context = {"rows": rows, "year": year, "years": _years(today)}
    return render(request, "reports/index.html", context)


def _index_row(organisation: Organisation, year: int, today: dt.date) -> dict[str, Any]:
    versions = ReportVersion.objects.filter(organisation=organisation, year=year)
    first = versions.order_by("number").first()
    latest = versions.order_by("-number").first()
    drafted = ReportDraft.objects.filter(organisation=organisation, year=year).exists()
    state = state_of(latest.number if latest else 0, drafted)
    due = deadline_of(organisation, year)
    return {
        "organisation": organisation,
        "state": state,
        "first": first,
        "latest": latest,
        "due": due.due,
        "timing": timing(due, first.published_on if first else None, today),
    }


@login_required
@require_GET
def report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, code)
    today = timezone.localdate()
    _check_year(year, today)
    built = current_report(organisation, year)
    check = pre_publish(organisation, year, today, built)
    base = reverse("reports:report", args=[code, year])

    def cell_href(key: str) -> str | None:
        return f"{base}cells/{key}/" if key.startswith(("t2.", "t3.", "t4.")) else None

    versions = list(
        ReportVersion.objects.filter(organisation=organisation, year=year)
        .order_by("-number")
        .prefetch_related("files")
    )
    due = deadline_of(organisation, year)
    context = {
        "organisation": organisation,
        "year": year,
        "years": _years(today),
        # The renderer escapes every text it writes. The column widths go to a style sheet with
        # the request's CSP nonce: the policy refuses style attributes (settings.py).
        "article": mark_safe(render_article(built.report, cell_href, inline_widths=False)),
        "column_css": column_css(built.report),
        "blocking": shown_findings(check.blocking, organisation, year),
        "to_acknowledge": shown_findings(check.to_acknowledge, organisation, year),
        "infos": shown_findings(
            [f for f in check.findings if f.severity is Severity.INFO], organisation, year
        ),
        "versions": versions,
        "changed": differs_from_version(built.report, versions[0]) if versions else None,
        # The corrections and voidings since the latest version: why the records may differ.
        "record_changes": changes_since(versions[0]) if versions else [],
        "due": due.due,
        "days_left": days_left(due, today),
        "can_edit": access.can_edit(request.user, organisation),
        "can_publish": access.can_publish(request.user, organisation),
        "has_previous": check.compared_with_previous,
        "prior": PriorReport.objects.filter(organisation=organisation, year=year - 1).first(),
        "narrative_saved": narrative_of(organisation, year) is not None,
        "exports": sorted(EXPORTS),
    }
    return render(request, "reports/report.html", context)


# ---------------------------------------------------------------- drill-down


@login_required
@require_GET
def cell(request: HttpRequest, code: str, year: int, key: str) -> HttpResponse:
    """The records behind one number of tables 二, 三, 四: their count is the number.

    Tables 三 and 四: the cell's own query (gongkai.reports.tables), counted by the database and
    shown 50 at a time by keyset (?after=date.id); the report is not rebuilt for one cell."""
    organisation = access.get_organisation_for_user(request.user, code)
    _check_year(year, timezone.localdate())
    table, _, rest = key.partition(".")
    row, _, column = rest.partition(".")
    version = format_of(year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    context: dict[str, Any] = {
        "organisation": organisation,
        "year": year,
        "key": key,
        "value": _cell_value(organisation, year, table, row, column),
        "label": _cell_label(version, table, row, column),
    }
    after = parse_cursor(request.GET.get("after", ""))
    if table == "t3":
        query = t3_cell_applications(organisation.pk, start, end, row, column, version)
        context["page"] = keyset_page(query, "received_on", after)
        context["applications"] = context["page"].rows
        context["count"] = query.count()
    elif table == "t4":
        appeals = t4_cell_appeals(organisation.pk, start, end, row, column)
        context["page"] = keyset_page(appeals, "filed_on", after)
        context["appeals"] = context["page"].rows
        context["count"] = appeals.count()
    elif table == "t2" and column in T2_DOCUMENT_COLUMNS:
        documents = t2_documents(organisation, year, row, column).order_by("issued_on", "id")
        context["documents"] = documents
        context["count"] = documents.count()
    elif table == "t2":
        context["figures"] = EnforcementFigures.objects.filter(
            organisation=organisation, year=year
        ).first()
    context["first_page"] = after is None
    return render(request, "reports/cell.html", context)


def _cell_value(organisation: Organisation, year: int, table: str, row: str, column: str) -> Any:
    """The number in the table: 三 and 四 from their (cached) aggregation, 二 from its registers."""
    version = format_of(year)
    lay = layout(version)
    if table in ("t3", "t4"):
        tables = period_tables(
            organisation=organisation,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            version=version,
        )
        cells = tables.t3 if table == "t3" else tables.t4
        keys: tuple[str, ...] = lay.t3_column_keys if table == "t3" else lay.t4_column_keys
    elif table == "t2":
        cells = table2(organisation, year)
        keys = tuple(c.key for c in lay.t2_table_of(row).columns) if row in cells else ()
    else:
        raise Http404("表中没有这一格")
    if row not in cells or column not in keys:
        raise Http404("表中没有这一格")
    index = keys.index(column)
    return cells[row][index].value if index < len(cells[row]) else None


def _cell_label(version: FormatVersion, table: str, row: str, column: str) -> str:
    lay = layout(version)
    if table == "t3":
        labels = {c.key: c.label for c in lay.t3_columns}
        return f"表三 · {lay.t3_row(row).label} · {labels[column]}"
    if table == "t4":
        group = {g.key: g.label for g in lay.t4_groups}.get(row, row)
        names = {c.key: c.label for c in lay.t4_columns}
        return f"表四 · {group} · {names[column]}"
    sub = lay.t2_table_of(row)
    row_label = next((r.label for r in sub.rows if r.key == row), row)
    col_label = next((c.label for c in sub.columns if c.key == column), column)
    return f"表二 · {sub.caption} · {row_label} · {col_label}"


# ---------------------------------------------------------------- narrative


class NarrativeForm(forms.Form):
    overview = forms.CharField(
        label="一、总体情况", required=False, widget=forms.Textarea(attrs={"rows": 16})
    )
    problems = forms.CharField(
        label="五、存在的主要问题及改进情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    other = forms.CharField(
        label="六、其他需要报告的事项", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


@login_required
@require_http_methods(["GET", "POST"])
def narrative(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, code)
    today = timezone.localdate()
    _check_year(year, today)
    if not access.can_edit(request.user, organisation):
        raise PermissionDenied("您没有编写该机构年度报告的权限")
    generated = draft_narrative(organisation, year)
    saved = narrative_of(organisation, year)
    # A part left empty when saving is shown with its draft again.
    initial = {
        name: (getattr(saved, name) if saved else "") or getattr(generated, name)
        for name in ("overview", "problems", "other")
    }
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            narrative_save(
                actor=_actor(request), organisation=organisation, year=year, today=today,
                request=request, **form.cleaned_data,
            )  # fmt: skip
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "正文已保存")
            return redirect("reports:report", code=code, year=year)
    previous = previous_report(organisation, year)
    context = {
        "organisation": organisation,
        "year": year,
        "form": form,
        "generated": generated,
        "previous_problems": previous.section_text(5) if previous else None,
    }
    return render(request, "reports/narrative.html", context)


# ---------------------------------------------------------------- publishing


@login_required
@require_POST
def publish(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organisation = access.get_organisation_for_user(request.user, code)
    today = timezone.localdate()
    _check_year(year, today)
    try:
        version = report_publish(
            actor=_actor(request),
            organisation=organisation,
            year=year,
            acknowledged=request.POST.get("acknowledged") == "on",
            change_note=request.POST.get("change_note", ""),
            today=today,
            request=request,
        )
    except ServiceError as exc:
        access.raise_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已发布第{version.number}版")
    return redirect(reverse("reports:report", args=[code, year]) + "#versions")


@login_required
@require_GET
def version_file(request: HttpRequest, code: str, year: int, number: int, fmt: str) -> FileResponse:
    organisation = access.get_organisation_for_user(request.user, code)
    stored = stored_version_file(organisation, year, number, fmt)
    if stored is None:
        raise Http404("没有这个文件")
    name = f"{organisation.name}{year}年政府信息公开工作年度报告（第{number}版）.{fmt}"
    response = _download(stored.file.open("rb"), name, fmt)
    version_file_downloaded(request=request, stored=stored, via="web")
    return response


@login_required
@require_GET
def export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The report as it stands now (not published), for review or printing."""
    organisation = access.get_organisation_for_user(request.user, code)
    _check_year(year, timezone.localdate())
    if fmt not in EXPORTS:
        raise Http404("不支持的格式")
    built = current_report(organisation, year)
    try:
        content = export_report(built.report, fmt)
    except PdfError as exc:
        messages.error(request, str(exc))
        return redirect("reports:report", code=code, year=year)
    name = f"{organisation.name}{year}年政府信息公开工作年度报告（草稿）.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = attachment(name, f"report-{code}-{year}-draft.{fmt}")
    audit_record(
        AuditAction.EXPORT,
        request=request,
        obj=organisation,
        object_repr=f"{organisation.name}{year}年度报告（草稿）",
        detail={"report": "draft", "year": year, "format": fmt},
    )
    return response


def _download(handle: Any, name: str, fmt: str) -> FileResponse:
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])


@login_required
@require_POST
def prior_upload(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Upload the report of `year - 1` published outside gongkai (the baseline of X- rules)."""
    organisation = access.get_organisation_for_user(request.user, code)
    today = timezone.localdate()
    _check_year(year, today)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择上年报告文件")
        return redirect("reports:report", code=code, year=year)
    try:
        prior_report_upload(
            actor=_actor(request),
            organisation=organisation,
            year=year - 1,
            name=upload.name or "report",
            content=upload.read(),
            today=today,
            request=request,
        )
    except ServiceError as exc:
        access.raise_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已读取{year - 1}年度报告，跨年度检查将以它为准")
    return redirect("reports:report", code=code, year=year)
