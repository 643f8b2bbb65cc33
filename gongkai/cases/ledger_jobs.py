"""Ledger imports and exports too big for one request, run as background jobs (django-tasks): on
the PostgreSQL queue run by `gongkai manage db_worker` in production, inline with the immediate
backend (SQLite, the demo, the tests), as the 审核批次 of 监督保障 are.

A job reads and writes only as the user who started it, with the user's access at the time it
runs; the uploaded file and the file produced are kept through the storage API (decision IM-2).
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from gongkai.accounts.access import readable_organisation_ids
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.access import applications_for_user
from gongkai.cases.forms import LedgerFilterForm
from gongkai.cases.ledger import (
    LedgerFileError,
    RowReport,
    import_rows,
    read_ledger,
    validate_rows,
    write_ledger_xlsx,
)
from gongkai.cases.models import Application, JobKind, JobStatus, LedgerJob
from gongkai.cases.selectors import filter_applications

logger = logging.getLogger(__name__)

SHOWN_PROBLEMS = 500  # rows with problems listed on the job page


@task()
def run_ledger_job(job_id: int) -> None:
    ledger_job_run(job_id=job_id)


def ledger_job_start(job: LedgerJob) -> None:
    """Queue the job (inline with the immediate backend: done on return)."""
    run_ledger_job.enqueue(job.pk)


# ---------------------------------------------------------------- creating


def export_job_create(
    *,
    user: User,
    query: Mapping[str, str],
    title: str,
    name: str,
    organisation: Organisation | None,
) -> LedgerJob:
    """An .xlsx export of the ledger with the ledger screen's filters `query`, of what `user`
    reads now (and, when it runs, still reads)."""
    return LedgerJob.objects.create(
        kind=JobKind.EXPORT, user=user, username=user.get_username(), organisation=organisation,
        organisations=sorted(readable_organisation_ids(user)), name=name[:200],
        params={"query": dict(query), "title": title}, folder=secrets.token_hex(8),
    )  # fmt: skip


def import_job_create(
    *,
    user: User,
    organisation: Organisation,
    content: bytes,
    name: str,
    mapping: Mapping[str, int],
    sheet: str,
    only_valid: bool,
    sha256: str,
    repeat: bool,
) -> LedgerJob:
    """An import of an uploaded ledger into `organisation` with the columns mapped as the user
    chose; the file is stored with the job until it is imported."""
    job = LedgerJob(
        kind=JobKind.IMPORT, user=user, username=user.get_username(), organisation=organisation,
        organisations=[organisation.pk], name=name[:200], folder=secrets.token_hex(8),
        params={
            "mapping": dict(mapping), "sheet": sheet, "only_valid": only_valid,
            "sha256": sha256, "repeat": repeat,
        },
    )  # fmt: skip
    job.source.save("source.xlsx", ContentFile(content), save=False)
    try:
        job.save()
    except BaseException:
        job.source.delete(save=False)
        raise
    return job


def user_jobs(user: User) -> QuerySet[LedgerJob]:
    return LedgerJob.objects.filter(user_id=user.pk or 0)


# ---------------------------------------------------------------- running


def ledger_job_run(*, job_id: int) -> None:
    """Run a queued job once: a job already running or finished is left alone (a second worker,
    or the queue delivering it twice)."""
    claimed = LedgerJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = LedgerJob.objects.select_related("user", "organisation").get(pk=job_id)
    try:
        if job.user is None or not job.user.is_active:
            raise ServiceError("发起任务的用户已不存在或已停用")
        if job.kind == JobKind.IMPORT:
            _run_import(job, job.user)
        else:
            _run_export(job, job.user)
    except (ServiceError, LedgerFileError) as exc:
        _finish(job, JobStatus.FAILED, exc.message)
    except Exception:
        logger.exception("ledger job %s failed", job.pk)
        what = "没有导入任何数据" if job.kind == JobKind.IMPORT else "没有生成文件"
        _finish(
            job, JobStatus.FAILED, f"任务出错，{what}；请稍后重试，或请系统管理员查看后台任务日志"
        )
        raise


def _phase(job: LedgerJob, phase: str, **fields: Any) -> None:
    for name, value in {"phase": phase, **fields}.items():
        setattr(job, name, value)
    LedgerJob.objects.filter(pk=job.pk).update(phase=phase, **fields)


def _finish(job: LedgerJob, status: str, message: str, **fields: Any) -> None:
    job.status, job.message = status, message
    LedgerJob.objects.filter(pk=job.pk).update(
        status=status, message=message, finished_at=timezone.now(), **fields
    )


def _run_import(job: LedgerJob, user: User) -> None:
    """One read of the file, one check of every row, then the import in one transaction: the
    rows' problems are kept for the job page whether or not anything was imported."""
    organisation = job.organisation
    assert organisation is not None
    _phase(job, "读取文件")
    with job.source.open("rb") as stored:
        content = stored.read()
    sheet = read_ledger(content, sheet=job.params.get("sheet") or None)
    _phase(job, "逐行检查", total=len(sheet.rows))
    mapping = {key: int(index) for key, index in job.params["mapping"].items()}
    reports = validate_rows(sheet, mapping, organisation)
    outcome = _checked(reports)
    _phase(job, "写入数据库", done=len(reports), outcome=outcome)
    try:
        with transaction.atomic():
            result = import_rows(
                actor=user, organisation=organisation, rows=reports,
                only_valid=bool(job.params.get("only_valid")), source=job.name,
                sha256=job.params.get("sha256", ""), repeat=bool(job.params.get("repeat")),
            )  # fmt: skip
            record = result.record
            audit_record(
                AuditAction.IMPORT, user=user, obj=record,
                detail={
                    "file": record.name, "sha256": record.sha256, "imported": record.rows,
                    "skipped": record.skipped, "concluded": result.concluded,
                    "repeated": record.repeated, "job": job.pk,
                },
            )  # fmt: skip
    except ServiceError as exc:
        _finish(job, JobStatus.FAILED, exc.message, outcome=outcome)
        return
    numbers = [app.tracking_no for _, app in result.imported]
    outcome |= {"imported": len(numbers), "concluded": result.concluded,
                "first": min(numbers), "last": max(numbers)}  # fmt: skip
    message = f"已导入{len(numbers)}行" + (
        f"，未导入有问题的{len(result.skipped)}行" if result.skipped else ""
    )
    _finish(job, JobStatus.DONE, message, outcome=outcome)
    job.source.delete(save=False)  # imported: the applicants' data is now in the records
    LedgerJob.objects.filter(pk=job.pk).update(source="")


def _checked(reports: list[RowReport]) -> dict[str, Any]:
    invalid = [report for report in reports if not report.ok]
    return {
        "rows": len(reports),
        "invalid": len(invalid),
        "problems": [
            [report.number, report.applicant, list(report.problems)]
            for report in invalid[:SHOWN_PROBLEMS]
        ],
    }


def _run_export(job: LedgerJob, user: User) -> None:
    applications = export_queryset(user, job)
    total = applications.count()
    _phase(job, "生成文件", total=total)

    def progress(done: int) -> None:
        LedgerJob.objects.filter(pk=job.pk).update(done=done)

    with tempfile.TemporaryFile(dir=settings.DATA_DIR) as scratch:
        rows = write_ledger_xlsx(
            applications, scratch, title=job.params.get("title", ""), progress=progress
        )
        scratch.seek(0)
        job.result.save(f"ledger-{job.pk}.xlsx", File(scratch), save=False)
    LedgerJob.objects.filter(pk=job.pk).update(result=job.result.name, done=rows)
    audit_record(
        AuditAction.EXPORT, user=user, object_type="cases.ledger", object_repr=job.name,
        organisation=job.organisation.code if job.organisation else "",
        detail={"file": job.name, "filters": job.params.get("query", {}), "rows": rows,
                "masked": True, "job": job.pk},
    )  # fmt: skip
    _finish(job, JobStatus.DONE, f"已生成{rows}行")


def export_queryset(user: User, job: LedgerJob) -> QuerySet[Application]:
    """What the job exports: the filters of the ledger screen over what the user reads now,
    within the organisations the user read when the job was made."""
    filters = LedgerFilterForm(job.params.get("query") or None).filters()
    filters.pop("sort", None)
    readable = applications_for_user(user).filter(organisation_id__in=job.organisations)
    return filter_applications(readable, filters)
