"""The public application form (条例第二十九条) and the status lookup form.

No proof of purpose is asked (条例第二十九条 lists none; 用途 is optional). The honeypot field
`website` is hidden from people by the stylesheet and left empty by them; a robot filling every
field gives itself away. The hidden `submission_key` makes a resent form one application.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django import forms

from gongkai.cases.idempotency import SUBMISSION_KEY_PATTERN
from gongkai.cases.models import Delivery, Form
from gongkai.cases.services import Applicant, Registration
from gongkai.domain.deadline_model import Channel
from gongkai.domain.identity import IdType, normalize_id, validate_id
from gongkai.domain.lifecycle import ApplicantType

MAX_FILES = 5

# 条例第二十九条第二款（一）: 自然人 or 法人或者其他组织; the five organisation kinds are the
# columns of table 三 (国办公开办函〔2021〕30号), so the annual report can count the application.
APPLICANT_CHOICES = [(t.value, t.label) for t in ApplicantType]
ID_CHOICES = [(t.value, t.label) for t in IdType]
# An organisation proves itself with its 统一社会信用代码 (GB 32100-2015).
ORGANISATION_ID_TYPES = {IdType.CREDIT_CODE.value, IdType.OTHER.value}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class OnlineApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=APPLICANT_CHOICES, widget=forms.RadioSelect
    )
    name = forms.CharField(label="姓名或名称", max_length=200)
    id_type = forms.ChoiceField(label="证件类型", choices=ID_CHOICES)
    id_number = forms.CharField(
        label="证件号码",
        max_length=60,
        help_text="居民身份证号码或统一社会信用代码；可输入全角字符，系统会自动转换",
    )
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="通讯地址", max_length=300, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)
    content = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        max_length=5000,
        widget=_area(5),
    )
    purpose = forms.CharField(
        label="用途（选填）",
        max_length=500,
        required=False,
        help_text="无需说明用途，也无需提供用途证明",
    )
    form = forms.ChoiceField(label="载体形式", choices=Form.choices, initial=Form.ELECTRONIC)
    delivery = forms.ChoiceField(
        label="获取方式", choices=Delivery.choices, initial=Delivery.ONLINE
    )
    attachments = MultipleFileField(
        label="附件（选填）",
        required=False,
        help_text=f"最多{MAX_FILES}个文件；PDF、图片、Word、Excel、OFD 或文本",
    )
    consent = forms.BooleanField(
        label="我已阅读上方的个人信息处理说明",
        error_messages={"required": "请确认已阅读个人信息处理说明"},
    )
    # Honeypot: hidden by portal.css, labelled for the rare screen reader that reaches it.
    # Out of the tab order too, so that a keyboard user never lands in it.
    website = forms.CharField(
        label="请勿填写此栏",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    # The submission key (decision MS-5): new with each blank form, sent back with it, so that a
    # resent submission is recognised and answered with its first receipt. A bound form that is
    # shown again with errors keeps it: nothing was stored under it yet.
    submission_key = forms.RegexField(
        regex=SUBMISSION_KEY_PATTERN, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(24))

    def clean_id_number(self) -> str:
        return normalize_id(self.cleaned_data["id_number"])

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"附件最多{MAX_FILES}个")
        return list(files)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        id_type, number = data.get("id_type"), data.get("id_number")
        if id_type and number is not None:
            problem = validate_id(IdType(id_type), number)
            if problem:
                self.add_error("id_number", problem)
        kind = data.get("applicant_type")
        if kind and id_type:
            natural = kind == ApplicantType.NATURAL
            if not natural and id_type not in ORGANISATION_ID_TYPES:
                self.add_error("id_type", "法人或者其他组织请选择统一社会信用代码或其他证件")
            if natural and id_type == IdType.CREDIT_CODE:
                self.add_error("id_type", "自然人请选择居民身份证、护照或其他证件")
        if not any((data.get(f) or "").strip() for f in ("phone", "email", "address")):
            # 条例第二十九条第二款（一）: a way to reach the applicant.
            self.add_error("phone", "请至少填写一种联系方式（电话、电子邮箱或通讯地址）")
        return data

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def registration(self, today: dt.date) -> Registration:
        data = self.cleaned_data
        return Registration(
            applicant=Applicant(
                type=data["applicant_type"],
                name=data["name"],
                id_type=data["id_type"],
                id_number=data["id_number"],
                phone=data["phone"],
                address=data["address"],
                postcode=data["postcode"],
                email=data["email"],
            ),
            channel=Channel.ONLINE,
            received_on=today,
            content=data["content"],
            purpose=data["purpose"],
            form=data["form"],
            delivery=data["delivery"],
        )

    def uploads(self) -> list[tuple[str, bytes]]:
        return [(f.name, f.read()) for f in self.cleaned_data.get("attachments") or []]


class TrackForm(forms.Form):
    tracking_no = forms.CharField(label="申请编号", max_length=60)
    code = forms.CharField(label="查询码", max_length=60, help_text="提交申请时回执上的查询码")


class OnlineCorrectionForm(forms.Form):
    text = forms.CharField(label="补正内容", max_length=5000, required=False, widget=_area(5))
    attachments = MultipleFileField(label="补正材料（选填）", required=False)

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"附件最多{MAX_FILES}个")
        return list(files)

    def uploads(self) -> list[tuple[str, bytes]]:
        return [(f.name, f.read()) for f in self.cleaned_data.get("attachments") or []]
