"""The background job of a 审核批次 (django-tasks): run by `gongkai manage db_worker` from the
database queue in production, inline with the immediate backend (settings.TASKS)."""

from __future__ import annotations

from django_tasks import task

from gongkai.supervision.audit_services import audit_batch_run
from gongkai.supervision.models import AuditBatch


@task()
def run_audit_batch(batch_id: int) -> None:
    audit_batch_run(batch_id=batch_id)


def audit_batch_start(batch: AuditBatch) -> None:
    """Queue the batch's job, after the upload's transaction (inline with the immediate backend:
    done on return)."""
    run_audit_batch.enqueue(batch.pk)
