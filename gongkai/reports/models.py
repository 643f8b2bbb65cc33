"""Registers the annual report is built from: proactive disclosure, rules and normative
documents, enforcement figures, and 行政复议/行政诉讼 about disclosure (条例第五十条)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application, user_display_name


class ProactiveItem(models.Model):
    """One item published proactively (条例第十九–二十条); feeds the 总体情况 text."""

    class Form(models.TextChoices):
        TEXT = "text", "文字"
        IMAGE = "image", "图片"
        VIDEO = "video", "视频"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("标题", max_length=300)
    column = models.CharField("栏目", max_length=100, blank=True)
    article_item = models.CharField("条例第二十条项目", max_length=20, blank=True)
    published_on = models.DateField("发布日期")
    url = models.URLField("网址", blank=True)
    is_interpretation = models.BooleanField("政策解读", default=False)
    interpretation_form = models.CharField(
        "解读形式", max_length=10, choices=Form.choices, blank=True
    )
    # The catalogue entry (条例第十二条 公开目录; the metadata of shared/docs/public-and-
    # supervision.md): codes of 主题, 体裁 and 有效性 are those of domain/data/catalogue.toml.
    index_no = models.CharField("索引号", max_length=40, blank=True)
    publisher = models.CharField("发布机构", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    topic = models.CharField("主题分类", max_length=2, blank=True)
    genre = models.CharField("体裁", max_length=20, blank=True)
    validity = models.CharField("有效性", max_length=10, default="valid")
    validity_changed_on = models.DateField("有效性变更日期", null=True, blank=True)
    replacement = models.CharField("替代或修改文件", max_length=300, blank=True)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    attachment = models.FileField("附件", upload_to="catalogue/%Y/", blank=True)
    attachment_name = models.CharField("附件名称", max_length=200, blank=True)
    interprets = models.ForeignKey(
        "self",
        verbose_name="所解读的文件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpretations",
    )
    # Lower-cased title, 文号, 索引号, 内容概述 and 正文: the one column search reads (pg_trgm index
    # on PostgreSQL, migration 0004), written by the services with the fields it copies.
    search_text = models.TextField("检索文本", blank=True, editable=False)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.TextField("撤回原因", blank=True)

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        indexes = [
            models.Index(fields=["organisation", "published_on"], name="proactive_org_day"),
            models.Index(
                fields=["organisation", "-published_on", "-id"], name="proactive_org_public"
            ),
            # The 专栏's 主题 columns count public items per topic: an index-only scan of this.
            models.Index(
                fields=["organisation", "topic", "published_on"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="proactive_public_topic",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "index_no"],
                condition=~models.Q(index_no=""),
                name="proactive_index_no_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title


class NormativeDocument(models.Model):
    """A 规章 or 行政规范性文件: gives 本年制发 / 本年废止 / 现行有效 of 第二十条第（一）项."""

    class Kind(models.TextChoices):
        REGULATION = "regulations", "规章"
        NORMATIVE = "normative_documents", "行政规范性文件"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=30, choices=Kind.choices)
    title = models.CharField("名称", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("制发日期")
    abolished_on = models.DateField("废止日期", null=True, blank=True)
    # 有效性 (domain/data/catalogue.toml): 废止 and 失效 are dated by `abolished_on` (which the
    # report counts), 已修改 by `amended_on`; the services keep the pairs consistent.
    validity = models.CharField("有效性", max_length=10, default="valid")
    amended_on = models.DateField("修改日期", null=True, blank=True)
    replacement = models.CharField("替代或修改文件", max_length=300, blank=True)

    class Meta:
        verbose_name = "规章和规范性文件"
        verbose_name_plural = "规章和规范性文件"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(validity__in=["repealed", "lapsed"], abolished_on__isnull=False)
                    | models.Q(validity__in=["valid", "amended"], abolished_on__isnull=True)
                ),
                name="normative_validity_dated",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title


class CatalogueSettings(models.Model):
    """An organisation's 索引号 rule (条例第十二条: the 公开目录 is the organisation's own); without a
    row the default rule with the organisation's code applies (domain.catalogue.IndexRule)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name="机构"
    )
    index_org_code = models.CharField("索引号机构代码", max_length=18)
    index_pattern = models.CharField("索引号规则", max_length=60)

    class Meta:
        verbose_name = "公开目录设置"
        verbose_name_plural = "公开目录设置"

    def __str__(self) -> str:
        return f"{self.index_org_code} {self.index_pattern}"


class EnforcementFigures(models.Model):
    """第二十条第（五）（六）（八）项 figures of one organisation and year, typed in or imported."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    licensing = models.PositiveIntegerField("行政许可处理决定数量")
    penalty = models.PositiveIntegerField("行政处罚处理决定数量")
    coercion = models.PositiveIntegerField("行政强制处理决定数量")
    fees = models.DecimalField("行政事业性收费金额（万元）", max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = "执法和收费数据"
        verbose_name_plural = "执法和收费数据"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="figures_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class Appeal(models.Model):
    """A 行政复议 or 行政诉讼 about disclosure in which the organisation is respondent/defendant."""

    class Kind(models.TextChoices):
        REVIEW = "review", "行政复议"
        SUIT_DIRECT = "suit_direct", "行政诉讼（未经复议直接起诉）"
        SUIT_AFTER_REVIEW = "suit_after_review", "行政诉讼（复议后起诉）"

    class Result(models.TextChoices):
        UPHELD = "upheld", "维持"
        CORRECTED = "corrected", "纠正"
        OTHER = "other", "其他"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    case_number = models.CharField("案号", max_length=100)
    body = models.CharField("复议机关或法院", max_length=100)
    filed_on = models.DateField("受理或立案日期")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    result = models.CharField("结果", max_length=20, choices=Result.choices, blank=True)
    decided_on = models.DateField("审结日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政复议和行政诉讼"
        verbose_name_plural = "行政复议和行政诉讼"

    def __str__(self) -> str:
        return self.case_number


class ReportDraft(models.Model):
    """The office's own words for sections 一, 五 and 六 of one year's report (条例第五十条).

    Tables are never stored here: they are built from the records every time."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other = models.TextField("六、其他需要报告的事项", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "年度报告草稿"
        verbose_name_plural = "年度报告草稿"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="draft_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年度报告草稿"


class ReportVersion(models.Model):
    """A published, frozen version: the report's data, its files and their hashes.

    Never updated: a correction is a new version with a dated change note (spec.md P-05:
    evaluators criticise silent post-publication edits)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("版本号")
    published_on = models.DateField("发布日期")
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept with the version so that deleting the user does not blank who published it.
    published_by_name = models.CharField("发布人", max_length=150, blank=True)
    change_note = models.TextField("更正说明", blank=True)
    data = models.JSONField("报告数据")  # report_to_dict(): the schema of `gongkai check --json`
    sha256 = models.CharField("数据哈希", max_length=64)
    findings = models.JSONField("发布时的检查结果", default=list)  # acknowledged warnings

    class Meta:
        verbose_name = "已发布年度报告"
        verbose_name_plural = "已发布年度报告"
        ordering = ["organisation", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "number"], name="version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年度报告 第{self.number}版"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.published_by is not None and not self.published_by_name:
            self.published_by_name = user_display_name(self.published_by)
        super().save(*args, **kwargs)


class ReportVersionFile(models.Model):
    """One exported file of a published version (.docx/.html/.pdf/.json), kept unchanged."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    format = models.CharField("格式", max_length=10)
    file = models.FileField(upload_to="reports/%Y/")
    sha256 = models.CharField("文件哈希", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "年度报告文件"
        verbose_name_plural = "年度报告文件"
        constraints = [
            models.UniqueConstraint(fields=["version", "format"], name="version_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.format}"


class PriorReport(models.Model):
    """Last year's report published before the office used gongkai, uploaded so the cross-year
    rules (X-) and the 五 follow-up have something to compare with."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    file = models.FileField(upload_to="reports/prior/")
    data = models.JSONField("解析结果")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "往年报告（外部）"
        verbose_name_plural = "往年报告（外部）"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="prior_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年度报告（外部）"
