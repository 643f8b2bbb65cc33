"""The public side's own records: an organisation's 指南 (settings the 管理员 edits, and the dated
versions published from them) and the list of its 政府信息公开制度."""

from __future__ import annotations

from typing import Any

from django.db import models

from gongkai.accounts.models import Organisation


class GuideSettings(models.Model):
    """What the 管理员 keeps of the 指南 (条例第十二条); published as a `GuideVersion`."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="guide_settings"
    )
    address = models.CharField("办公地址", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    fax = models.CharField("传真号码", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    website = models.URLField("网址", blank=True)
    channels = models.JSONField("申请渠道", default=list, blank=True)  # Channel values
    classification = models.TextField("政府信息的分类和编排体系", blank=True)
    proactive_channels = models.TextField("主动公开的方式和途径", blank=True)
    procedure = models.TextField("依申请公开的办理程序和时限", blank=True)
    fees = models.TextField("收费", blank=True)
    remedies = models.TextField("监督和救济", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        verbose_name = "政府信息公开指南设置"
        verbose_name_plural = "政府信息公开指南设置"

    def __str__(self) -> str:
        return f"{self.organisation}政府信息公开指南设置"


class GuideVersion(models.Model):
    """A published 指南, frozen: its text as published and its date. Never updated; a change is a
    new version, and the earlier ones stay readable (条例第十二条: 及时更新)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="guide_versions"
    )
    number = models.PositiveSmallIntegerField("版本号")
    published_on = models.DateField("更新日期")
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by_name = models.CharField("发布人", max_length=150, blank=True)
    # The guide's elements as published, plus the organisation's contact data of that day (to
    # tell the office when they change after it).
    data = models.JSONField("指南内容")

    class Meta:
        verbose_name = "政府信息公开指南版本"
        verbose_name_plural = "政府信息公开指南版本"
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="guide_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}政府信息公开指南 第{self.number}版"

    def value(self, key: str) -> Any:
        return self.data.get(key, "")


class PolicyItem(models.Model):
    """One entry of the sub-column 政府信息公开制度 (国办公开办函〔2019〕61号): a rule the office
    works by (保密审查、发布协调、依申请公开办理…), as a link or as text."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="policy_items"
    )
    title = models.CharField("标题", max_length=200)
    url = models.URLField("链接", blank=True)
    text = models.TextField("正文", blank=True)
    published_on = models.DateField("发布日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政府信息公开制度"
        verbose_name_plural = "政府信息公开制度"
        ordering = ["organisation", "-published_on", "-id"]

    def __str__(self) -> str:
        return self.title
