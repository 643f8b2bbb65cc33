"""督办通知: a supervising government urges one organisation (about some of its applications);
the notice stands on the organisation's 工作台 until it is answered."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application

__all__ = ["SupervisionNotice"]


class SupervisionNotice(models.Model):
    class State(models.TextChoices):
        # Derived (never stored): from answered_at and reply_by.
        WAITING = "waiting", "待回复"
        ANSWERED = "answered", "已回复"
        LATE = "late", "逾期未回复"

    government = models.ForeignKey(
        Organisation, verbose_name="督办机构", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="被督办机构", on_delete=models.PROTECT, related_name="+"
    )
    applications = models.ManyToManyField(
        Application, verbose_name="督办的申请", blank=True, related_name="+"
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("督办事项")
    reply_by = models.DateField("回复期限")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_by_name = models.CharField("发送人", max_length=150, blank=True)
    sent_at = models.DateTimeField("发送时间")
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_by_name = models.CharField("回复人", max_length=150, blank=True)
    answer = models.TextField("回复内容", blank=True)

    class Meta:
        verbose_name = "督办通知"
        verbose_name_plural = "督办通知"
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "answered_at"], name="notice_org_answered"),
            models.Index(fields=["government", "-sent_at"], name="notice_gov_sent"),
        ]

    def __str__(self) -> str:
        return f"督办通知：{self.subject}"

    def state(self, today: dt.date) -> SupervisionNotice.State:
        if self.answered_at is not None:
            return self.State.ANSWERED
        return self.State.LATE if today > self.reply_by else self.State.WAITING
