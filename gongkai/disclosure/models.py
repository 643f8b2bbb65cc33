"""An administrator's replacement for the wording of one kind of letter."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.disclosure.kinds import LETTER_KINDS


class LetterTemplate(models.Model):
    """When a row exists for a kind, its body is used instead of the file
    `disclosure/letters/<kind>.txt`; deleting the row brings the file's wording back."""

    kind = models.CharField(
        "告知书类型", max_length=30, unique=True, choices=list(LETTER_KINDS.items())
    )
    body = models.TextField("模板正文")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "告知书模板"
        verbose_name_plural = "告知书模板"
        ordering = ["kind"]

    def __str__(self) -> str:
        return LETTER_KINDS.get(self.kind, self.kind)
