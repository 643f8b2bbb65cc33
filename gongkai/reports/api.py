"""The annual report in the JSON API: read-only, as it stands now, with its published versions.

A django-ninja router (`api:report`, `api:report_file`) mounted by gongkai.api, which adds the
authentication and the error answers; shapes in `api_types`, documented in docs/api.md.
Publishing stays on the report page, which asks for acknowledgements.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from ninja.params import functions as param

from gongkai.accounts.models import Organisation
from gongkai.cases.api_types import ApiError, Error
from gongkai.domain.report.renderers.json import report_to_dict
from gongkai.pdf import CONTENT_TYPES
from gongkai.reports.access import get_organisation_for_user
from gongkai.reports.api_types import AnnualReport
from gongkai.reports.checks import (
    FIRST_YEAR,
    PrePublish,
    current_report,
    deadline_of,
    pre_publish,
)
from gongkai.reports.models import ReportDraft, ReportVersion
from gongkai.reports.rollup import timing
from gongkai.reports.selectors import ReportState, state_of, stored_version_file
from gongkai.reports.services import PUBLISHED_FORMATS, version_file_downloaded

router = Router(tags=["年度报告"])

_CODE = param.Path(description="机构代码（须为调用者可查看的机构），如 WCBGS")
_YEAR = param.Path(description=f"报告年度，{FIRST_YEAR}年至今年")
_NUMBER = param.Path(description="版本号", ge=1)
_FORMAT = param.Path(description="文件格式：" + "、".join(sorted(PUBLISHED_FORMATS)))


@router.get(
    "/reports/{code}/{int:year}",
    url_name="report",
    operation_id="getAnnualReport",
    summary="年度报告",
    description="一个机构一个年度的政府信息公开工作年度报告：状态、发布期限、按当前记录生成的"
    "报告内容（表二至表四和正文）、发布前检查结果，以及已发布的各版本和文件。"
    "只读；发布仍在报告页面办理。",
    response={200: AnnualReport, 401: Error, 404: Error},
)
def report(request: HttpRequest, code: str = _CODE, year: int = _YEAR) -> dict[str, Any]:
    organisation = _organisation(request, code)
    today = timezone.localdate()
    _check_year(year, today)
    built = current_report(organisation, year)
    versions = list(
        ReportVersion.objects.filter(organisation=organisation, year=year)
        .order_by("-number")
        .prefetch_related("files")
    )
    state = _state(organisation, year, versions)
    due = deadline_of(organisation, year)
    first_published_on = versions[-1].published_on if versions else None
    return {
            "organisation": {
                "code": organisation.code,
                "name": organisation.name,
                "kind": organisation.kind,
            },
            "year": year,
            "state": state.value,
            "state_label": state.label,
            "deadline": due.due.isoformat(),
            "timing": timing(due, first_published_on, today).text,
            "report": report_to_dict(built.report),
            "check": _check_json(pre_publish(organisation, year, today, built)),
            "versions": [_version_json(organisation, version) for version in versions],
        }  # fmt: skip


def _file_content(fmt: str) -> tuple[str, dict[str, Any]]:
    """The media type of a published file; the .json file is the version's report data."""
    schema = {"$ref": "#/components/schemas/ReportData"} if fmt == "json" else {
        "type": "string", "format": "binary"}  # fmt: skip
    return CONTENT_TYPES[fmt], {"schema": schema}


@router.get(
    "/reports/{code}/{int:year}/versions/{int:number}.{format}",
    url_name="report_file",
    operation_id="getAnnualReportFile",
    summary="年度报告文件",
    description="已发布版本的一个文件，按发布时保存的原样返回，其 SHA-256 与年度报告中"
    "versions[].files[].sha256 相同。json 文件即该版本的报告内容（ReportData）。",
    response={401: Error, 404: Error},
    openapi_extra={
        "responses": {
            200: {
                "description": "文件（Content-Disposition: attachment）",
                "content": dict(map(_file_content, sorted(PUBLISHED_FORMATS))),
            }
        }
    },
)
def report_file(
    request: HttpRequest,
    code: str = _CODE,
    year: int = _YEAR,
    number: int = _NUMBER,
    format: str = _FORMAT,
) -> HttpResponse:
    """One stored file of a published version, byte for byte (its sha256 is in the report)."""
    organisation = _organisation(request, code)
    _check_year(year, timezone.localdate())
    if format not in CONTENT_TYPES:
        raise ApiError(f"没有找到第{number}版的 {format[:20]} 文件", status=404)
    stored = stored_version_file(organisation, year, number, format)
    if stored is None:
        raise ApiError(f"没有找到第{number}版的 {format} 文件", status=404)
    name = f"{organisation.name}{year}年政府信息公开工作年度报告（第{number}版）.{format}"
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES[format],
    )
    version_file_downloaded(request=request, stored=stored, via="api")
    # FileResponse streams the file rather than holding it in memory; it is a
    # StreamingHttpResponse, not an HttpResponse, which matters to the type checker only.
    return cast(HttpResponse, response)


def _organisation(request: HttpRequest, code: str) -> Organisation:
    """The organisation if the caller may read it; "missing" and "not yours" are the same 404."""
    if "\x00" in code:
        # PostgreSQL cannot compare text with NUL: no code has one.
        raise ApiError("没有找到这个机构", status=404)
    try:
        return get_organisation_for_user(request.user, code)
    except Http404 as exc:
        raise ApiError(str(exc), status=404) from None


def _check_year(year: int, today: dt.date) -> None:
    """As the report pages: from the 2021 format (the records cannot fill older tables)."""
    if not FIRST_YEAR <= year <= today.year:
        raise ApiError(f"没有{year}年度的报告（可查询{FIRST_YEAR}—{today.year}年度）", status=404)


def _state(organisation: Organisation, year: int, versions: list[ReportVersion]) -> ReportState:
    """From the versions, newest first (their numbers count them: 1, 2, 3…)."""
    drafted = not versions and (
        ReportDraft.objects.filter(organisation=organisation, year=year).exists()
    )
    return state_of(versions[0].number if versions else 0, drafted)


def _check_json(check: PrePublish) -> dict[str, Any]:
    return {
        "findings": [finding.as_dict() for finding in check.findings],
        "blocking": list(dict.fromkeys(finding.rule for finding in check.blocking)),
        "to_acknowledge": list(dict.fromkeys(finding.rule for finding in check.to_acknowledge)),
    }


def _version_json(organisation: Organisation, version: ReportVersion) -> dict[str, Any]:
    code, year, number = organisation.code, version.year, version.number
    files = sorted(version.files.all(), key=lambda stored: stored.format)
    return {
        "number": number,
        "published_on": version.published_on.isoformat(),
        "sha256": version.sha256,
        "change_note": version.change_note,
        "files": [
            {
                "format": stored.format,
                "sha256": stored.sha256,
                "size": stored.size,
                "url": reverse("api:report_file", args=[code, year, number, stored.format]),
            }
            for stored in files
        ],
    }
