"""Who sees a 审核批次: the supervisors (监督) of the government it was uploaded for, nobody else
— not the audited organisations, not the installation's administrators (decision AU-WEB-3).
"Missing" and "not yours" are one 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from gongkai.accounts.access import User
from gongkai.supervision.access import supervised_roots
from gongkai.supervision.models import AuditBatch, AuditedFile


def readable_batches(user: User) -> QuerySet[AuditBatch]:
    return AuditBatch.objects.filter(government__in=supervised_roots(user))


def get_batch_for_user(user: User, pk: int) -> AuditBatch:
    batch = readable_batches(user).select_related("government").filter(pk=pk).first()
    if batch is None:
        raise Http404("没有找到该审核批次")
    return batch


def get_audited_file_for_user(user: User, pk: int) -> AuditedFile:
    row = (
        AuditedFile.objects.filter(pk=pk, batch__in=readable_batches(user))
        .select_related("batch", "batch__government", "organisation", "previous")
        .first()
    )
    if row is None:
        raise Http404("没有找到该文件")
    return row
