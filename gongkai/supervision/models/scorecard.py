"""A government's own 考核 settings: changed points of the default indicators, its own
indicators, and the deductions its supervisors record by hand (gongkai.domain.scorecard)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.accounts.models import Organisation

__all__ = ["CustomIndicator", "IndicatorOverride", "ManualDeduction"]


class IndicatorOverride(models.Model):
    government = models.ForeignKey(
        Organisation, verbose_name="监督机构", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField("指标", max_length=40)
    points = models.PositiveSmallIntegerField("每项扣分")
    cap = models.PositiveSmallIntegerField("最多扣分（0为不限）", default=0)
    enabled = models.BooleanField("适用", default=True)

    class Meta:
        verbose_name = "考核指标调整"
        verbose_name_plural = "考核指标调整"
        constraints = [
            models.UniqueConstraint(fields=["government", "key"], name="indicator_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.government} {self.key}"


class CustomIndicator(models.Model):
    """An indicator a government adds; its instances are recorded by hand (ManualDeduction)."""

    government = models.ForeignKey(
        Organisation, verbose_name="监督机构", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField("指标代码", max_length=40)
    label = models.CharField("指标名称", max_length=100)
    points = models.PositiveSmallIntegerField("每项扣分")
    cap = models.PositiveSmallIntegerField("最多扣分（0为不限）", default=0)
    source = models.CharField("依据", max_length=300)

    class Meta:
        verbose_name = "自定义考核指标"
        verbose_name_plural = "自定义考核指标"
        constraints = [
            models.UniqueConstraint(fields=["government", "key"], name="custom_indicator_unique")
        ]

    def __str__(self) -> str:
        return self.label


class ManualDeduction(models.Model):
    """One instance a supervisor records for an indicator (a government's own, or any other the
    records cannot show), with its evidence."""

    government = models.ForeignKey(
        Organisation, verbose_name="监督机构", on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="被考核机构", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    key = models.CharField("指标", max_length=40)
    note = models.TextField("扣分事实")
    evidence_url = models.CharField("证据链接", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_name = models.CharField("记录人", max_length=150, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "人工扣分"
        verbose_name_plural = "人工扣分"
        indexes = [models.Index(fields=["government", "year"], name="manual_deduction_gov_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.key}"
