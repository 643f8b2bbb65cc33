"""Forms of the case workbench. They check the shape of the input; the services decide whether the
change is allowed (a `ServiceError` naming a field is put back on that field)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from gongkai.accounts.models import Organisation
from gongkai.cases.choices import DELIVERY_METHODS, FEE_METHODS, PARTIES
from gongkai.cases.models import Application, Attachment, Delivery, Form
from gongkai.cases.services import (
    CONFIRM_RECEIVED_ON,
    CORRECTABLE_FIELDS,
    MAX_REASON,
    Applicant,
    Registration,
    ServiceError,
)
from gongkai.domain.deadline_model import Channel
from gongkai.domain.identity import IdType, mask_id
from gongkai.domain.lifecycle import Action, ApplicantType, Status, outcomes
from gongkai.domain.plausibility import MAX_FEE_YUAN

ANY = ("", "全部")


def enum_choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]  # type: ignore[attr-defined]


def reply_outcome_choices() -> list[tuple[str, str]]:
    """The outcomes a reply can have (（六）1 and （六）2 come only from closing the case)."""
    return [(o.key, o.label) for o in outcomes() if o.by_reply]


def default_bases() -> dict[str, str]:
    """The default legal basis of each reply outcome, for the page script to fill in."""
    return {o.key: o.basis for o in outcomes() if o.by_reply}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# ---------------------------------------------------------------- registration

# Where a ServiceError of `application_register` points, as a field of RegistrationForm.
_SERVICE_FIELDS = {
    "applicant.type": "applicant_type",
    "applicant.name": "applicant_name",
    "applicant.id_type": "id_type",
    "applicant.id_number": "id_number",
    "applicant.phone": "phone",
}


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="受理机关", queryset=Organisation.objects.none(), empty_label=None
    )
    applicant_type = forms.ChoiceField(label="申请人类型", choices=enum_choices(ApplicantType))
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_type = forms.ChoiceField(label="证件类型", choices=enum_choices(IdType))
    id_number = forms.CharField(label="证件号码", max_length=40)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="通讯地址", max_length=300, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)
    channel = forms.ChoiceField(label="申请方式", choices=enum_choices(Channel))
    received_on = forms.DateField(label="收到申请日期", widget=DateInput())
    content = forms.CharField(label="申请公开的政府信息", widget=_textarea(4))
    purpose = forms.CharField(label="用途说明", max_length=500, required=False)
    form = forms.ChoiceField(label="载体形式", choices=Form.choices, initial=Form.ELECTRONIC)
    delivery = forms.ChoiceField(label="获取方式", choices=Delivery.choices, initial=Delivery.EMAIL)
    # Shown once the receipt date was found old (ServiceError code CONFIRM_RECEIVED_ON).
    confirm_received_on = forms.BooleanField(label="确认收到日期", required=False)
    # Shown when the same applicant asked for the same information before (selectors.history).
    confirm_repeat = forms.BooleanField(
        label="已核对以上申请，本件不是重复录入，仍登记为新申请", required=False
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        self.fields["received_on"].initial = today
        self.fields["channel"].initial = Channel.IN_PERSON.value

    def registration(self) -> Registration:
        data = self.cleaned_data
        applicant = Applicant(
            type=data["applicant_type"],
            name=data["applicant_name"],
            id_type=data["id_type"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=data["address"],
            postcode=data["postcode"],
            email=data["email"],
        )
        return Registration(
            applicant=applicant,
            channel=data["channel"],
            received_on=data["received_on"],
            content=data["content"],
            purpose=data["purpose"],
            form=data["form"],
            delivery=data["delivery"],
        )

    def add_service_error(self, error: ServiceError) -> None:
        add_service_error(self, error, _SERVICE_FIELDS)

    @property
    def asks_confirmation(self) -> bool:
        return asks_confirmation(self)


def add_service_error(
    form: forms.Form, error: ServiceError, aliases: dict[str, str] | None = None
) -> None:
    """Show a refused change on the field it names, or above the form."""
    name = (aliases or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)
    if error.code == CONFIRM_RECEIVED_ON:
        form.confirmation_asked = True  # type: ignore[attr-defined]


def asks_confirmation(form: forms.Form) -> bool:
    """Whether the 确认收到日期 checkbox is shown: once asked, and while it is ticked."""
    ticked = form.is_bound and form["confirm_received_on"].value()
    return bool(getattr(form, "confirmation_asked", False) or ticked)


# ---------------------------------------------------------------- corrections and voiding

_CORRECTION_FIELDS = {
    "applicant.type": "applicant_type",
    "applicant.name": "applicant_name",
    "applicant.id_type": "id_type",
    "applicant.id_number": "id_number",
    "applicant.phone": "phone",
}
# Typed anew rather than shown: the form would otherwise put the full number in the page
# (个人信息保护); left blank, the value stays as registered.
_BLANK_KEEPS = ("id_number", "phone")


class CorrectionForm(forms.Form):
    """更正登记信息: the registered facts prefilled, a reason, and the receipt confirmation."""

    reason = forms.CharField(
        label="更正理由",
        max_length=MAX_REASON,
        widget=_textarea(),
        help_text="原值、新值和理由记入办理记录和审计日志",
    )
    confirm_received_on = forms.BooleanField(label="确认收到日期", required=False)

    def __init__(
        self, *args: Any, application: Application, locked: frozenset[str], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "correct")
        super().__init__(*args, **kwargs)
        fields = {
            name: copy.deepcopy(RegistrationForm.base_fields[name]) for name in CORRECTABLE_FIELDS
        }
        for name, field in fields.items():
            field.initial = getattr(application, name)
            if name in _BLANK_KEEPS:
                field.initial = ""
                field.required = False
                value = getattr(application, name)
                field.widget.attrs["placeholder"] = (
                    f"{mask_id(value)}（不更正请留空）" if value else ""
                )
            if name in locked:
                # Django keeps a disabled field's initial value whatever is posted.
                field.disabled = True
                field.help_text = "须由审核人或管理员更正"
        self.fields = {**fields, **self.fields}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {
            name: data[name] for name in CORRECTABLE_FIELDS if not self.fields[name].disabled
        }
        for name in _BLANK_KEEPS:
            if not changes.get(name):
                changes.pop(name, None)
        return changes

    def add_service_error(self, error: ServiceError) -> None:
        add_service_error(self, error, _CORRECTION_FIELDS)

    @property
    def asks_confirmation(self) -> bool:
        return asks_confirmation(self)

    @property
    def correctable(self) -> list[forms.BoundField]:
        return [self[name] for name in CORRECTABLE_FIELDS]


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废理由", max_length=MAX_REASON, widget=_textarea())
    confirm = forms.BooleanField(
        label="确认作废：作废后本申请不再计入任何报表和期限，且不能恢复",
        error_messages={"required": "请勾选确认作废"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "void")
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------- actions


class ActionForm(forms.Form):
    """One step of the procedure: its date (today by default) and what its service needs."""

    date = forms.DateField(label="办理日期", widget=DateInput())
    note = forms.CharField(label="说明", required=False, widget=_textarea())

    # Fields passed on to the service under the same name (besides the date, passed as `on`).
    service_fields: ClassVar[tuple[str, ...]] = ("note",)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = today
        if "note" in self.fields:  # the free-text note comes last
            self.fields["note"] = self.fields.pop("note")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"on": data["date"], **{name: data[name] for name in self.service_fields}}


class CorrectionRequestForm(ActionForm):
    note = None  # type: ignore[assignment]
    items = forms.CharField(label="需要补正的事项（一次性告知）", widget=_textarea(3))
    workdays = forms.IntegerField(
        label="补正期限（工作日）",
        required=False,  # blank: the office's default (GONGKAI_CORRECTION_WORKDAYS)
        min_value=1,
        max_value=60,
        help_text="自本通知之日起的工作日数；告知书写明据此算出的截止日期",
    )
    period = forms.CharField(
        label="补充说明",
        required=False,
        max_length=100,
        help_text="可不填，例如：可通过网上申请平台提交补正材料",
    )
    service_fields = ("items", "workdays", "period")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workdays"].initial = settings.GONGKAI_CORRECTION_WORKDAYS


class ConsultationStartForm(ActionForm):
    party = forms.ChoiceField(label="被征求意见方", choices=list(PARTIES.items()))
    consulted = forms.CharField(label="第三方或机关名称", max_length=200)
    service_fields = ("party", "consulted", "note")


class ConsultationEndForm(ActionForm):
    opinion = forms.CharField(label="意见摘要", required=False, widget=_textarea())
    service_fields = ("opinion", "note")


class ExtendForm(ActionForm):
    note = None  # type: ignore[assignment]
    reason = forms.CharField(label="延期理由（经工作机构负责人同意）", widget=_textarea())
    service_fields = ("reason",)


class FeeNoticeForm(ActionForm):
    note = None  # type: ignore[assignment]
    amount = forms.IntegerField(label="收费金额（元）", min_value=1, max_value=MAX_FEE_YUAN)
    method = forms.ChoiceField(label="计费方式", choices=list(FEE_METHODS.items()))
    basis = forms.CharField(label="收费依据", required=False, max_length=300)
    service_fields = ("amount", "method", "basis")


class ReplyForm(ActionForm):
    """The reply type (one row of table 三) with its legal basis, prefilled with the default."""

    outcome = forms.ChoiceField(label="答复类型", choices=reply_outcome_choices)
    legal_basis = forms.CharField(label="法律依据", required=False, max_length=300)
    service_fields: ClassVar[tuple[str, ...]] = ("legal_basis", "note")

    def __init__(self, *args: Any, proposal: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key = (proposal or {}).get("outcome") or reply_outcome_choices()[0][0]
        self.fields["outcome"].initial = key
        self.fields["legal_basis"].initial = (proposal or {}).get("legal_basis") or (
            default_bases().get(key, "")
        )

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "outcome_key": self.cleaned_data["outcome"]}


class ReturnReplyForm(ActionForm):
    note = forms.CharField(label="退回意见", widget=_textarea())


class TransferForm(ActionForm):
    """转办: the agency of the same government that is responsible (条例第三十六条（五）)."""

    to_organisation = forms.CharField(
        label="负责公开的机关（机构代码）",
        max_length=20,
        help_text="本级人民政府所属机关的机构代码，如 WCCZJ；该机关以转办之日为收到申请之日",
    )
    note = forms.CharField(
        label="告知内容",
        required=False,
        widget=_textarea(),
        help_text="可不填：默认写明负责机关、转办日期、新申请编号和联系电话",
    )
    service_fields = ("to_organisation", "note")


class ApproveForm(ActionForm):
    note = forms.CharField(label="审核意见", required=False, widget=_textarea())


class DeliverForm(ActionForm):
    method = forms.ChoiceField(label="送达方式", choices=list(DELIVERY_METHODS.items()))
    tracking_number = forms.CharField(
        label="邮件单号", required=False, max_length=60, help_text="邮寄送达时必填"
    )
    service_fields = ("method", "tracking_number", "note")


class RefuseSubmissionForm(ActionForm):
    note = forms.CharField(label="不予签收的理由（申请人查询时可见）", widget=_textarea())


class ProposeReplyForm(ReplyForm):
    """The clerk's proposal, with the specific reasons the letter states (条例第三十六条)."""

    reasons = forms.CharField(
        label="具体理由",
        required=False,
        widget=_textarea(),
        help_text="部分公开、不予公开、无法提供、不予处理时必填，原文写入告知书",
    )
    service_fields = ("legal_basis", "reasons", "note")


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.REQUEST_CORRECTION: CorrectionRequestForm,
    Action.RECEIVE_CORRECTION: ActionForm,
    Action.CLOSE_NO_CORRECTION: ActionForm,
    Action.START_CONSULTATION: ConsultationStartForm,
    Action.END_CONSULTATION: ConsultationEndForm,
    Action.EXTEND: ExtendForm,
    Action.NOTIFY_FEE: FeeNoticeForm,
    Action.RECEIVE_FEE: ActionForm,
    Action.CLOSE_NO_FEE: ActionForm,
    Action.PROPOSE_REPLY: ProposeReplyForm,
    Action.RETURN_REPLY: ReturnReplyForm,
    Action.REPLY: ReplyForm,
    Action.DELIVER: DeliverForm,
    Action.ARCHIVE: ActionForm,
    Action.WITHDRAW: ActionForm,
    Action.CONFIRM_RECEIPT: ActionForm,
    Action.REFUSE_SUBMISSION: RefuseSubmissionForm,
    Action.TRANSFER: TransferForm,
    Action.APPROVE: ApproveForm,
}


def action_form(
    action: Action,
    *,
    today: dt.date,
    proposal: dict[str, str] | None = None,
    data: Any = None,
) -> ActionForm:
    """The form of `action`; fields are prefixed with the action so that all fit on one page."""
    cls = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"today": today, "prefix": action.value, "data": data}
    if issubclass(cls, ReplyForm):
        kwargs["proposal"] = proposal
    return cls(**kwargs)


# ---------------------------------------------------------------- attachments


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Attachment.Kind.choices)
    file = forms.FileField(label="文件")

    def clean_file(self) -> Any:
        # Checked here too so that an oversized upload is refused before it is read into memory;
        # `attachment_add` applies the same limit to every other caller.
        upload = self.cleaned_data["file"]
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"文件过大（{upload.size}字节），上限为{_megabytes(limit)}")
        return upload


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g}MB"
    return f"{size}字节"


# ---------------------------------------------------------------- ledger filters

SORTS = {
    "-received_on": "收到日期（新→旧）",
    "received_on": "收到日期（旧→新）",
    "due_on": "答复期限（近→远）",
    "-due_on": "答复期限（远→近）",
    "tracking_no": "申请编号（升序）",
    "-tracking_no": "申请编号（降序）",
}


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", required=False, choices=[ANY, *enum_choices(Status)])
    outcome = forms.ChoiceField(
        label="答复类型", required=False, choices=[ANY, *[(o.key, o.label) for o in outcomes()]]
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型", required=False, choices=[ANY, *enum_choices(ApplicantType)]
    )
    channel = forms.ChoiceField(
        label="申请方式", required=False, choices=[ANY, *enum_choices(Channel)]
    )
    received_from = forms.DateField(label="收到日期自", required=False, widget=DateInput())
    received_to = forms.DateField(label="至", required=False, widget=DateInput())
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORTS.items()))

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is ignored (and shown as an error on its field)."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}
