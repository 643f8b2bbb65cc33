"""审核批次: the one write path of each change — upload (create and queue), the job's run.

The job (`gongkai.supervision.audit_jobs.run_audit_batch`, django-tasks) reads the files one by
one through `gongkai.supervision.audit_engine`, stores each result and counts it done at once, so
the batch page shows the progress; then it pairs reports across years and looks for 雷同 over the
whole batch, and stores the summary. A run that stops (the worker killed) is resumed by running
it again: files already audited are not read twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.domain.report.batch import unreadable
from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.parsers.json import parse_json
from gongkai.domain.report.renderers.json import report_to_dict
from gongkai.supervision.access import supervised_organisations
from gongkai.supervision.audit_engine import (
    AuditedReport,
    batch_similarity,
    merge_findings,
    pair_previous,
    read_one,
)
from gongkai.supervision.audit_upload import Upload, unpack
from gongkai.supervision.models import AuditBatch, AuditedFile, BatchStatus
from gongkai.supervision.roles import supervises

logger = logging.getLogger(__name__)


def audit_batch_create(
    *,
    by: User,
    government: Organisation,
    uploads: list[Upload],
    max_bytes: int,
    title: str = "",
    request: HttpRequest | None = None,
) -> AuditBatch:
    """Check the upload, store its files and the batch (all or nothing); audited. The caller
    queues the job with `audit_jobs.audit_batch_start` once this has returned (committed)."""
    if not supervises(by, government):
        raise ServiceError(f"您不是{government.name}的监督人员", kind="forbidden")
    unpacked = unpack(uploads, max_bytes=max_bytes)
    stored: list[AuditedFile] = []
    try:
        with transaction.atomic():
            batch = AuditBatch.objects.create(
                government=government,
                title=title.strip()[:200],
                uploaded_by=by,
                uploaded_by_name=by.get_full_name() or by.get_username(),
                total=len(unpacked.files),
                skipped=unpacked.skipped[:200],
            )
            for position, upload in enumerate(unpacked.files, start=1):
                stored.append(_stored_file(batch, position, upload))
            AuditedFile.objects.bulk_create(stored)
            audit_record(
                AuditAction.IMPORT,
                request=request,
                user=by,
                obj=batch,
                organisation=government.code,
                detail={
                    "files": len(stored),
                    "bytes": sum(f.size for f in stored),
                    "names": [f.name for f in stored[:20]],
                    "skipped": len(unpacked.skipped),
                },
            )
    except BaseException:
        # The rows are rolled back: the files written for them go too (nothing saved on error).
        for row in stored:
            row.upload.delete(save=False)
        raise
    return batch


def _stored_file(batch: AuditBatch, position: int, upload: Upload) -> AuditedFile:
    digest = hashlib.sha256(upload.data).hexdigest()
    row = AuditedFile(
        batch=batch,
        position=position,
        name=upload.name[:255],
        size=len(upload.data),
        sha256=digest,
    )
    # Stored under a name of ours (batch folder, position, hash): never the uploaded name.
    row.upload.save(f"{position:05d}-{digest[:16]}", ContentFile(upload.data), save=False)
    return row


def audit_batch_delete(*, by: User, batch: AuditBatch, request: HttpRequest | None = None) -> None:
    """Delete a batch with its results and its stored files (audited); not while it runs."""
    if not supervises(by, batch.government):
        raise ServiceError(f"您不是{batch.government.name}的监督人员", kind="forbidden")
    if batch.status == BatchStatus.RUNNING:
        raise ServiceError("该批次正在审核，审核结束后才能删除", kind="conflict")
    names = [name for name in batch.files.values_list("upload", flat=True) if name]
    with transaction.atomic():
        audit_record(
            AuditAction.DELETE,
            request=request,
            user=by,
            obj=batch,
            organisation=batch.government.code,
            detail={"files": batch.total, "title": batch.title},
        )
        batch.delete()
    for name in names:
        default_storage.delete(name)


def audit_batch_retry(*, by: User, batch: AuditBatch) -> None:
    """Queue a failed batch again: the caller enqueues its job, which audits the files not done."""
    if not supervises(by, batch.government):
        raise ServiceError(f"您不是{batch.government.name}的监督人员", kind="forbidden")
    if batch.status != BatchStatus.FAILED:
        raise ServiceError("只有审核失败的批次可以重新审核", kind="conflict")
    AuditBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED, failure="")


# ---------------------------------------------------------------- the job


# Results are written (and counted done) in one transaction per second or per 100 files, whichever
# comes first: the page sees progress every second, and the database is not asked for a commit per
# report (bench/audit_batch_web.py).
FLUSH_SECONDS = 1.0
FLUSH_FILES = 100
_READ_FIELDS = [
    "audited", "kind", "agency", "year", "error", "report",
    "findings", "errors", "warnings", "infos", "risk",
]  # fmt: skip
_BATCH_FIELDS = ["findings", "errors", "warnings", "infos", "risk", "previous", "organisation"]


def audit_batch_run(*, batch_id: int) -> None:
    """Audit every file of the batch not yet audited, then the batch as a whole."""
    batch = AuditBatch.objects.filter(pk=batch_id).select_related("government").first()
    if batch is None or batch.status == BatchStatus.DONE:
        return
    files = list(batch.files.order_by("position"))
    AuditBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING,
        started_at=batch.started_at or timezone.now(),
        done=sum(1 for f in files if f.audited),
    )
    try:
        items = _read_all(batch, files)
        _whole_batch(batch, files, items)
    except Exception as exc:
        logger.exception("audit batch %s failed", batch.pk)
        AuditBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, finished_at=timezone.now(), failure=type(exc).__name__
        )
        raise


def _read_all(batch: AuditBatch, files: list[AuditedFile]) -> list[AuditedReport]:
    items: list[AuditedReport] = []
    pending: list[AuditedFile] = []
    flushed = time.monotonic()
    for row in files:
        if row.audited:
            items.append(_stored_item(row))
            continue
        items.append(_read(row))
        pending.append(row)
        if len(pending) >= FLUSH_FILES or time.monotonic() - flushed >= FLUSH_SECONDS:
            _flush(batch, pending)
            pending, flushed = [], time.monotonic()
    _flush(batch, pending)
    return items


def _flush(batch: AuditBatch, rows: list[AuditedFile]) -> None:
    if not rows:
        return
    # One UPDATE a row in one transaction: bulk_update's CASE over large JSON values costs more.
    with transaction.atomic():
        for row in rows:
            row.save(update_fields=_READ_FIELDS)
        AuditBatch.objects.filter(pk=batch.pk).update(done=F("done") + len(rows))


def _read(row: AuditedFile) -> AuditedReport:
    """Read and check one file; its row is filled in, not yet saved."""
    try:
        with row.upload.open("rb") as handle:
            data = handle.read()
    except OSError:
        item = unreadable(row.name, "上传的文件已缺失，无法读取")
    else:
        item = read_one(row.name, data)
    _store_findings(row, item, list(item.findings))
    row.audited = True
    row.kind = item.kind or ""
    row.agency = (item.agency or "")[:200]
    row.year = item.year
    row.error = item.error or ""
    row.report = report_to_dict(item.report) if item.report is not None else None
    return item


def _stored_item(row: AuditedFile) -> AuditedReport:
    """A file audited by an earlier run (resumed batch), as the engine returned it."""
    report = parse_json(json.dumps(row.report).encode("utf-8")) if row.report else None
    return AuditedReport(
        name=row.name,
        kind=row.kind or None,
        report=report,
        findings=tuple(finding_of(f) for f in row.findings),
        error=row.error or None,
        agency=row.agency or None,
        year=row.year,
        previous=None,
        risk=row.risk,
    )


def finding_of(data: dict[str, str]) -> Finding:
    return Finding(data["rule"], Severity(data["severity"]), data["where"], data["message"])


def _store_findings(row: AuditedFile, item: AuditedReport, findings: list[Finding]) -> None:
    row.findings = [f.as_dict() for f in findings]
    row.errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    row.warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    row.infos = sum(1 for f in findings if f.severity is Severity.INFO)
    row.risk = float(item.risk)


def _whole_batch(batch: AuditBatch, files: list[AuditedFile], items: list[AuditedReport]) -> None:
    """Across the batch: each report paired with its agency's previous year (cross-year rules),
    雷同 (D-01, D-02), the organisation each agency is, and the summary figures."""
    by_name = {row.name: row for row in files}
    paired = pair_previous(items)
    scored = merge_findings(paired, batch_similarity(paired))  # D-02, then the risk scores
    organisations = {o.name: o for o in supervised_organisations(batch.government)}
    changed: list[AuditedFile] = []
    for item in scored:
        row = by_name[item.name]
        before = _batch_values(row)
        _store_findings(row, item, list(item.findings))
        row.previous = by_name.get(_name_of(item.previous) or "")
        row.organisation = organisations.get((item.agency or "").strip())
        if _batch_values(row) != before:
            changed.append(row)
    with transaction.atomic():
        for row in changed:
            row.save(update_fields=_BATCH_FIELDS)
        AuditBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.DONE,
            finished_at=timezone.now(),
            done=len(files),
            with_errors=sum(1 for r in files if r.errors),
            with_warnings=sum(1 for r in files if r.warnings),
            unreadable=sum(1 for r in files if r.error),
        )


def _batch_values(row: AuditedFile) -> tuple[object, ...]:
    return (row.findings, row.risk, row.previous_id, row.organisation_id)


def _name_of(previous: object) -> str | None:
    """The engine names the previous-year report by its file name, or gives the item itself."""
    if previous is None or isinstance(previous, str):
        return previous
    name = getattr(previous, "name", None)
    return name if isinstance(name, str) else None
