"""审核批次: report files a supervisor uploads to be audited together, and each file's result.

The uploaded bytes are files of the storage under the data folder (`MEDIA_ROOT/audit/…`, 0600,
named by batch, position and hash: the uploaded name is only a column, never a path) so that a
backup carries them with their SHA-256 like every other stored file (docs/decisions.md AU-WEB-2).
The result of each file is kept as JSON: the findings and the report itself (the report JSON of
`gongkai check --json`), which the report page renders again without reading the file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.accounts.models import Organisation

__all__ = ["AuditBatch", "AuditedFile", "BatchStatus"]


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "审核中"
    DONE = "done", "已完成"
    FAILED = "failed", "审核失败"


class AuditBatch(models.Model):
    government = models.ForeignKey(
        Organisation, verbose_name="监督机构", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("批次名称", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_by_name = models.CharField("上传人", max_length=150, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    started_at = models.DateTimeField("开始审核", null=True, blank=True)
    finished_at = models.DateTimeField("完成审核", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField("文件数", default=0)
    done = models.PositiveIntegerField("已审核", default=0)
    # Summary figures, set when the batch is done.
    with_errors = models.PositiveIntegerField("有错误的报告", default=0)
    with_warnings = models.PositiveIntegerField("有警告的报告", default=0)
    unreadable = models.PositiveIntegerField("无法读取", default=0)
    skipped = models.JSONField("压缩包内跳过的文件", default=list, blank=True)
    failure = models.TextField("失败原因", blank=True)

    class Meta:
        verbose_name = "审核批次"
        verbose_name_plural = "审核批次"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["government", "-created_at"], name="audit_batch_gov")]

    def __str__(self) -> str:
        return f"审核批次 {self.pk}" + (f"：{self.title}" if self.title else "")

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)


def _upload_to(instance: AuditedFile, filename: str) -> str:
    return f"audit/{instance.batch_id}/{filename}"


class AuditedFile(models.Model):
    batch = models.ForeignKey(AuditBatch, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField("序号")
    name = models.CharField("文件名", max_length=255)  # as uploaded (a zip member's path)
    upload = models.FileField("文件", upload_to=_upload_to, max_length=200)
    size = models.PositiveBigIntegerField("大小", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    audited = models.BooleanField("已审核", default=False)
    kind = models.CharField("格式", max_length=10, blank=True)  # text | html | docx | pdf | json
    agency = models.CharField("机关", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="对应机构",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name="上年报告",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    risk = models.FloatField("风险分", default=0)
    error = models.TextField("无法读取的原因", blank=True)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    infos = models.PositiveIntegerField("提示", default=0)
    findings = models.JSONField("发现的问题", default=list, blank=True)
    report = models.JSONField("报告内容", null=True, blank=True)

    class Meta:
        verbose_name = "审核文件"
        verbose_name_plural = "审核文件"
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="audited_file_position")
        ]

    def __str__(self) -> str:
        return self.name
