"""Organisations (本级政府 → 部门 / 乡镇街道), the roles users hold in them, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongkai.domain.lifecycle import Role


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "本级人民政府"
        DEPARTMENT = "department", "政府部门"
        TOWNSHIP = "township", "乡镇（街道）"

    code = models.CharField("机构代码", max_length=20, unique=True)
    name = models.CharField("机构名称", max_length=100)
    kind = models.CharField("机构类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # 条例第四十九条: departments publish by 1月31日, governments by 3月31日; townships locally.
    report_due_month = models.PositiveSmallIntegerField("年报截止月", default=1)
    report_due_day = models.PositiveSmallIntegerField("年报截止日", default=31)
    address = models.CharField("通讯地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    # GB/T 9704-2012 §7.2.4: the 发文机关代字 of its letters' 文号, e.g. 宛政办公开 → 宛政办公开〔2026〕12号.
    # 承办人拟办 → 审核人审核 → 分管领导签批 (docs/decisions.md RV-3): replies wait for a 分管领导.
    leader_signoff = models.BooleanField(
        "答复须经分管领导签批",
        default=False,
        help_text="勾选后，审核人审核同意的答复须由本机关的分管领导签批后才能签发",
    )
    letter_code = models.CharField(
        "发文机关代字",
        max_length=20,
        blank=True,
        help_text="告知书文号的机关代字，如“宛政办公开”，文号即为“宛政办公开〔2026〕12号”；未填写时文号只有年份和序号",
    )

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The local report deadline must be a day of every year (not 2月29日 or 2月30日)."""
        super().clean()
        try:
            dt.date(2025, self.report_due_month, self.report_due_day)
        except (TypeError, ValueError):
            raise ValidationError(
                {"report_due_day": "年报截止日期无效，请填写每年都有的日期（如2月20日）"}
            ) from None


class Membership(models.Model):
    """A role a user holds in one organisation; 监督 reaches the whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=[(r.value, r.label) for r in Role])

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {Role(self.role).label}"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    # An HMAC of the user's password hash when the token was made: a token dies with a password
    # change, whatever path changed it (screen, admin, set_password).
    password_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return "gk_" + secrets.token_urlsafe(32)


class PasswordState(models.Model):
    """When a user's password was last set, and whether he must change it before working
    (GB/T 22239-2019 8.1.4.1 a): 口令…定期更换; an initial or reset password is changed by its
    owner at first login)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_state"
    )
    changed_at = models.DateTimeField("密码设置时间")
    must_change = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "密码状态"
        verbose_name_plural = "密码状态"

    def __str__(self) -> str:
        return f"{self.user} {self.changed_at:%Y-%m-%d}"
