"""The reporting calendar: which periodic reports a government's organisations submit and when,
and the reports they submitted (frozen)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.accounts.models import Organisation
from gongkai.domain.periods import PeriodKind

__all__ = ["PeriodReport", "ReportingRule"]


class ReportingRule(models.Model):
    """A government's rule: its organisations submit a monthly (or quarterly) report by day
    `due_day` of the following month (六安: the 10th; 宣城: the 12th)."""

    class Kind(models.TextChoices):
        MONTH = "month", "月报"
        QUARTER = "quarter", "季报"

    government = models.ForeignKey(
        Organisation, verbose_name="监督机构", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("报表类型", max_length=10, choices=Kind.choices)
    due_day = models.PositiveSmallIntegerField("报送截止日（次月）", default=10)
    starts_on = models.DateField("起始日期")
    include_government = models.BooleanField("本级政府也报送", default=False)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "报送规则"
        verbose_name_plural = "报送规则"
        constraints = [
            models.UniqueConstraint(fields=["government", "kind"], name="reporting_rule_unique"),
            models.CheckConstraint(
                condition=models.Q(due_day__gte=1, due_day__lte=28), name="reporting_rule_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.government} {self.get_kind_display()}"

    @property
    def period_kind(self) -> PeriodKind:
        return PeriodKind(self.kind)


class PeriodReport(models.Model):
    """An organisation's submitted (frozen) report of one period: the statistics as they stood
    when it was submitted, kept as JSON so later corrections of records do not change it."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="报送机构", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField("统计期", max_length=10)  # gongkai.domain.periods.Period.code
    kind = models.CharField("报表类型", max_length=10, choices=ReportingRule.Kind.choices)
    due_on = models.DateField("报送截止日")
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by_name = models.CharField("报送人", max_length=150, blank=True)
    data = models.JSONField("报表数据")

    class Meta:
        verbose_name = "定期报表"
        verbose_name_plural = "定期报表"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period"], name="period_report_unique")
        ]
        indexes = [models.Index(fields=["period", "organisation"], name="period_report_period")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period}"
