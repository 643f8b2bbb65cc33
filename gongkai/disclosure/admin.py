"""Administrators replace the wording of a letter here; a body that does not render is refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template import Engine, TemplateDoesNotExist
from django.utils.html import format_html, format_html_join

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.cases.services import ServiceError
from gongkai.disclosure.kinds import CONTEXT_VARIABLES, template_name
from gongkai.disclosure.models import LetterTemplate
from gongkai.disclosure.services import letter_template_check, letter_template_save

MARKUP_HELP = (
    ("第一行", "标题"),
    ("空行", "另起一段；相邻的非空行连成一段"),
    ("# 文字", "小标题（黑体）"),
    ("= 文字", "居中行，如文号"),
    ("< 文字", "顶格行，如称谓“张三：”"),
    ("> 文字", "落款行（发文机关、日期），连续几行为一组"),
    ('{% include "disclosure/letters/_closing.txt" %}', "引用共用段落（救济途径、落款、联系方式）"),
)


def body_help() -> str:
    markup = format_html_join("", "<li><code>{}</code>：{}</li>", MARKUP_HELP)
    variables = format_html_join("", "<li><code>{{{{ {} }}}}</code>：{}</li>", CONTEXT_VARIABLES)
    return format_html(
        "Django 模板语法。保存前会用示例案件试渲染，无法渲染的正文不予保存。"
        "删除本条记录即恢复使用模板文件。<br>格式：<ul>{}</ul>可用变量：<ul>{}</ul>",
        markup,
        variables,
    )


class LetterTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LetterTemplate
        fields = ["kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = body_help()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or (self.instance.kind if self.instance.pk else None)
        body = data.get("body")
        if kind and body:
            try:
                letter_template_check(kind=kind, body=body)
            except ServiceError as exc:
                self.add_error("body", exc.message)
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedModelAdmin):
    form = LetterTemplateForm
    list_display = ["__str__", "kind", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by", "default_body"]
    audited_by_service = frozenset({"add", "change"})  # letter_template_save records them

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A row belongs to its kind: changing the kind would leave the old one on its file.
        extra = ["kind"] if obj is not None else []
        return [*extra, *self.readonly_fields]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = dict(super().get_changeform_initial_data(request))
        kind = request.GET.get("kind")
        if kind:
            initial["body"] = _file_body(kind)
        return initial

    @admin.display(description="模板文件中的原文")
    def default_body(self, obj: LetterTemplate) -> str:
        return format_html("<pre>{}</pre>", _file_body(obj.kind)) if obj.pk else "—"

    def save_model(
        self, request: HttpRequest, obj: LetterTemplate, form: Any, change: bool
    ) -> None:
        if not isinstance(request.user, User):  # never None here: None is the command line
            raise PermissionDenied
        saved = letter_template_save(
            actor=request.user, kind=obj.kind, body=obj.body, request=request
        )
        obj.pk, obj.updated_at, obj.updated_by = saved.pk, saved.updated_at, saved.updated_by


def _file_body(kind: str) -> str:
    try:
        template = Engine.get_default().get_template(template_name(kind))
    except TemplateDoesNotExist:
        return ""
    return str(template.source)
