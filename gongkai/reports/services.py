"""State changes of the annual report, one function each, each in one transaction.

- `narrative_save`: the office's texts of sections 一, 五, 六 (经办人, 审核人, 管理员).
- `report_publish`: check, freeze and store a version (审核人, 管理员); a later call is a
  correction and needs a change note, which is printed in the corrected report itself.
- `prior_report_upload`: last year's report published before gongkai, read by the parsers, so
  the cross-year rules have something to compare with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest

from gongkai.accounts.access import roles_in
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.services import ServiceError
from gongkai.domain.lifecycle import Role
from gongkai.domain.report.model import AnnualReport, Section
from gongkai.domain.report.parsers import ReportParseError, parse_report
from gongkai.domain.report.renderers.json import report_to_dict
from gongkai.pdf import PdfError, export
from gongkai.reports.checks import current_report, latest_version, pre_publish
from gongkai.reports.models import PriorReport, ReportDraft, ReportVersion, ReportVersionFile
from gongkai.reports.signals import report_published

EDITORS = {Role.CLERK, Role.REVIEWER, Role.ADMIN}
PUBLISHERS = {Role.REVIEWER, Role.ADMIN}  # publishing is a reviewer's act, like a reply
PUBLISHED_FORMATS = ("docx", "pdf", "html", "json")
# Last year's report as published: a Word or PDF file of 10–40 pages is well under 5 MB even with
# its seal image; 10 MB leaves room and keeps a worker's memory small (issue 9).
MAX_PRIOR_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 50_000


def _require(actor: User, organisation: Organisation, allowed: set[Role], what: str) -> None:
    if not roles_in(actor, organisation) & allowed:
        raise ServiceError(f"您在{organisation.name}没有{what}的权限", kind="forbidden")


def _check_year(year: int, today: dt.date) -> None:
    if not 2008 <= year <= today.year:
        raise ServiceError(f"报告年度{year}无效", field="year")


@transaction.atomic
def narrative_save(
    *,
    actor: User,
    organisation: Organisation,
    year: int,
    overview: str,
    problems: str,
    other: str,
    today: dt.date,
    request: HttpRequest | None = None,
) -> ReportDraft:
    """Save the texts of 一, 五 and 六; an empty text falls back to the generated draft.

    A save that changes a text is an audit entry naming the sections and their lengths before
    and after (the text itself is in the draft; the log says who overwrote what)."""
    _require(actor, organisation, EDITORS, "编写年度报告")
    _check_year(year, today)
    texts = {"overview": overview, "problems": problems, "other": other}
    for name, text in texts.items():
        if len(text) > MAX_TEXT_CHARS:
            raise ServiceError(f"正文过长（超过{MAX_TEXT_CHARS}字）", field=name)
    draft, created = ReportDraft.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    sections: dict[str, list[int]] = {}
    for name, text in texts.items():
        before, after = getattr(draft, name), _clean(text)
        if before != after:
            sections[name] = [len(before), len(after)]
        setattr(draft, name, after)
    draft.updated_by = actor
    draft.save()
    if sections:
        audit_record(
            AuditAction.CREATE if created else AuditAction.CHANGE,
            request=request,
            user=actor,
            obj=draft,
            detail={"year": year, "sections": sections},
        )
    return draft


def _clean(text: str) -> str:
    """Browsers send CRLF; trailing spaces on lines are invisible noise in a document."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def report_publish(
    *,
    actor: User,
    organisation: Organisation,
    year: int,
    acknowledged: bool,
    change_note: str = "",
    today: dt.date,
    request: HttpRequest | None = None,
) -> ReportVersion:
    """Freeze the report as it stands into a new version with its files.

    Refused when the check finds an error, when warnings are not acknowledged, when a
    correction has no change note, or when nothing changed since the last version."""
    _require(actor, organisation, PUBLISHERS, "发布年度报告")
    _check_year(year, today)
    written: list[str] = []
    try:
        with transaction.atomic():
            # One publisher at a time per organisation: version numbers stay 1, 2, 3…
            Organisation.objects.select_for_update().get(pk=organisation.pk)
            version = _publish_locked(
                actor, organisation, year, acknowledged, change_note.strip(), today, written
            )
            audit_record(
                AuditAction.PUBLISH,
                request=request,
                user=actor,
                obj=version,
                detail={
                    "year": year,
                    "number": version.number,
                    "correction": version.number > 1,
                    "change_note": version.change_note,
                    "sha256": version.sha256,
                },
            )
    except BaseException:
        for name in written:  # the rows are gone with the rollback; so must their files be
            default_storage.delete(name)
        raise
    transaction.on_commit(lambda: report_published.send(sender=ReportVersion, version=version))
    return version


def _publish_locked(
    actor: User,
    organisation: Organisation,
    year: int,
    acknowledged: bool,
    change_note: str,
    today: dt.date,
    written: list[str],
) -> ReportVersion:
    built = current_report(organisation, year)
    check = pre_publish(organisation, year, today, built)
    if check.blocking:
        listed = "；".join(f"{f.rule} {f.message}" for f in check.blocking[:5])
        raise ServiceError(f"检查发现{len(check.blocking)}个错误，不能发布：{listed}")
    if check.to_acknowledge and not acknowledged:
        raise ServiceError(
            f"检查发现{len(check.to_acknowledge)}个警告，请逐条阅读并确认后再发布",
            field="acknowledged",
        )
    previous = latest_version(organisation, year)
    number = previous.number + 1 if previous else 1
    if previous is not None and not change_note:
        raise ServiceError("报告已发布，更正后重新发布须填写更正说明", field="change_note")
    report = built.report
    if previous is not None:
        if not differs_from_version(report, previous):
            raise ServiceError(f"内容与第{previous.number}版相同，无需重新发布", kind="conflict")
        report = _with_change_note(report, number, change_note, today, previous)
    data = report_to_dict(report)
    version = ReportVersion.objects.create(
        organisation=organisation,
        year=year,
        number=number,
        published_on=today,
        published_by=actor,
        change_note=change_note,
        data=data,
        sha256=_digest(data),
        findings=[f.as_dict() for f in check.findings],
    )
    for fmt in PUBLISHED_FORMATS:
        content = _export(report, fmt)
        name = f"{organisation.code}-{year}-v{number}.{fmt}"
        stored = ReportVersionFile(
            version=version,
            format=fmt,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )
        stored.file.save(name, ContentFile(content), save=False)
        written.append(stored.file.name or "")
        stored.save()
    return version


def _export(report: AnnualReport, fmt: str) -> bytes:
    try:
        return export(report, fmt)
    except PdfError as exc:
        raise ServiceError(str(exc), kind="conflict") from exc


def _digest(data: Any) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


CHANGE_NOTE_HEADING = "更正说明"


def _with_change_note(
    report: AnnualReport, number: int, note: str, today: dt.date, previous: ReportVersion
) -> AnnualReport:
    """The corrected report says, at its end, when and why it differs from what was published."""
    text = (
        f"本报告于{today.year}年{today.month}月{today.day}日更正（第{number}版，"
        f"替代{previous.published_on.year}年{previous.published_on.month}月"
        f"{previous.published_on.day}日发布的第{previous.number}版）。{note}"
    )
    section = Section(None, CHANGE_NOTE_HEADING, text)
    return dataclasses.replace(report, sections=(*report.sections, section))


def differs_from_version(report: AnnualReport, version: ReportVersion) -> bool:
    """Whether the report as it stands differs from a published version (its note aside)."""
    return _digest(report_to_dict(report)) != _digest(_without_note(version.data))


def _without_note(data: dict[str, Any]) -> dict[str, Any]:
    """A version's data without its change note, to compare the report itself with a draft."""
    sections = [s for s in data.get("sections", []) if s.get("heading") != CHANGE_NOTE_HEADING]
    return {**data, "sections": sections}


@transaction.atomic
def prior_report_upload(
    *,
    actor: User,
    organisation: Organisation,
    year: int,
    name: str,
    content: bytes,
    today: dt.date,
    request: HttpRequest | None = None,
) -> PriorReport:
    """Keep last year's published report (any format `gongkai check` reads) as the baseline of
    the cross-year rules; a new upload replaces the old one."""
    _require(actor, organisation, EDITORS, "上传往年报告")
    _check_year(year, today)
    if ReportVersion.objects.filter(organisation=organisation, year=year).exists():
        raise ServiceError(f"{year}年度报告已在本系统发布，无需上传", kind="conflict")
    if not content:
        raise ServiceError("上传的文件是空的", field="file")
    if len(content) > MAX_PRIOR_BYTES:
        raise ServiceError(
            "文件超过10MB，请上传年度报告本身（Word、PDF、网页或文本）", field="file"
        )
    try:
        parsed = parse_report(content, name).report
    except ReportParseError as exc:
        raise ServiceError(f"无法读取该报告：{exc}", field="file") from exc
    if parsed.year is not None and parsed.year != year:
        raise ServiceError(f"该文件是{parsed.year}年度报告，不是{year}年度", field="file")
    replaced, _ = PriorReport.objects.filter(organisation=organisation, year=year).delete()
    prior = PriorReport(
        organisation=organisation, year=year, data=report_to_dict(parsed), uploaded_by=actor
    )
    prior.file.save(name.rsplit("/", 1)[-1][:100] or "report", ContentFile(content), save=False)
    prior.save()
    audit_record(
        AuditAction.IMPORT,
        request=request,
        user=actor,
        obj=prior,
        detail={
            "year": year,
            "name": name[:200],
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
            "replaced": replaced > 0,
        },
    )
    return prior


def version_file_downloaded(*, request: HttpRequest, stored: ReportVersionFile, via: str) -> None:
    """Record that a published version's stored file was handed out (下载), from the report
    page (`via="web"`) or the API (`via="api"`)."""
    version = stored.version
    audit_record(
        AuditAction.DOWNLOAD,
        request=request,
        obj=stored,
        organisation=version.organisation.code,
        detail={
            "year": version.year,
            "number": version.number,
            "format": stored.format,
            "sha256": stored.sha256,
            "via": via,
        },
    )
