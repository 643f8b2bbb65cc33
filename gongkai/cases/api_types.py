"""The typed shapes of the applications API: request bodies and responses as pydantic schemas,
from which django-ninja builds the OpenAPI document (gongkai.api).

Only shape is checked here (JSON types, required and unknown members, lengths, dates, the values
an enumerated member may take); what a value means (a valid ID number, a legal step now, a date
after the previous step) is for the services, so that each rule has one home and one message.
Every request schema forbids unknown members, and a member given as null counts as absent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from gongkai.cases.models import Application, Delivery, Form
from gongkai.domain.deadline_model import Channel, ClockStatus
from gongkai.domain.identity import IdType
from gongkai.domain.lifecycle import Action, ApplicantType, Status, outcomes


class ApiError(Exception):
    """A request the API refuses in a view before any service runs: 400, 403 (a list filter
    naming an organisation the caller cannot read), 404 or 422, answered as {"error", "field"}."""

    def __init__(self, message: str, *, status: int = 422, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


# ---------------------------------------------------------------- member types


def _no_nul(value: str) -> str:
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text: refused here rather than in the database.
        raise PydanticCustomError("nul", "含有不允许的空字符（\\u0000）")
    return value


Text = Annotated[str, Strict(), AfterValidator(_no_nul)]
Integer = Annotated[int, Strict()]
Boolean = Annotated[bool, Strict()]


def choice(values: Sequence[str], what: str = "") -> Any:
    """A string that must be one of `values` (enumerated in the document)."""
    allowed = tuple(values)

    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError(
                "choice", "无效：{value}（可选：{choices}）",
                {"value": value[:40], "choices": "、".join(allowed)},
            )  # fmt: skip
        return value

    return Annotated[
        str,
        Strict(),
        AfterValidator(check),
        WithJsonSchema({"type": "string", "enum": list(allowed)}),
    ]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("iso_date", "应为 YYYY-MM-DD 格式的有效日期")


# A date is a "YYYY-MM-DD" string, nothing else (not a timestamp, not "2025-3-5").
Day = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def _email(value: str) -> str:
    if value.strip():
        try:
            validate_email(value.strip())
        except ValidationError:
            raise PydanticCustomError("email", "不是有效的电子邮箱地址") from None
    return value


Email = Annotated[Text, AfterValidator(_email)]


def _max(name: str) -> int | None:
    """The column's length, so that a value too long is 422 here rather than an error in the
    database (PostgreSQL enforces varchar lengths; SQLite does not)."""
    length: int | None = getattr(Application._meta.get_field(name), "max_length", None)
    return length


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


REPLY_OUTCOMES = tuple(o.key for o in outcomes() if o.by_reply)


class Input(BaseModel):
    """A request object: unknown members refused, no coercion between JSON types. A plain
    pydantic model: ninja's Schema would read every nested member through its Python getter."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- registration


class ApplicantInput(Input):
    """申请人（条例第二十九条第二款（一））"""

    type: choice(_values(ApplicantType)) = Field(description="申请人类型")  # type: ignore[valid-type]
    name: Text = Field(description="申请人姓名或名称", max_length=_max("applicant_name"))
    id_type: choice(_values(IdType)) = Field(description="证件类型")  # type: ignore[valid-type]
    id_number: Text = Field(
        description="证件号码；居民身份证、统一社会信用代码核对校验位", max_length=100
    )
    phone: Text | None = Field(
        None, description="联系电话（电话、地址、电子邮箱至少填一项）", max_length=_max("phone")
    )
    address: Text | None = Field(None, description="通讯地址", max_length=_max("address"))
    postcode: Text | None = Field(None, description="邮政编码", max_length=_max("postcode"))
    email: Email | None = Field(None, description="电子邮箱", max_length=_max("email"))


_CONFIRM_TEXT = (
    f"收到申请之日距今超过{settings.RECEIPT_CONFIRM_DAYS}天时须为 true，表示已核对无误"
    "（防止把2025写成2015之类的笔误；缺省 false）"
)


class RegistrationInput(Input):
    """登记申请的请求体"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "org": "WCBGS",
                    "applicant": {
                        "type": "natural",
                        "name": "张三",
                        "id_type": "resident_id",
                        "id_number": "11010519491231002X",
                        "phone": "13800000000",
                    },
                    "channel": "online",
                    "received_on": "2025-03-03",
                    "content": "请公开2024年某项目的批复文件",
                    "form": "electronic",
                    "delivery": "email",
                    "confirm_old_received_on": True,
                }
            ]
        }
    )

    org: Text = Field(description="受理机关的机构代码", max_length=100)
    applicant: ApplicantInput = Field(description="申请人（条例第二十九条第二款（一））")
    channel: choice(_values(Channel)) = Field(  # type: ignore[valid-type]
        description="申请方式（决定收到申请之日，条例第三十一条）"
    )
    received_on: Day = Field(description="收到申请之日（不得晚于今天）")
    content: Text = Field(description="申请公开的政府信息的名称、文号或便于查询的其他特征性描述")
    purpose: Text | None = Field(None, description="用途说明", max_length=_max("purpose"))
    form: choice(tuple(Form.values)) | None = Field(  # type: ignore[valid-type]
        None, description="载体形式（缺省 electronic）"
    )
    delivery: choice(tuple(Delivery.values)) | None = Field(  # type: ignore[valid-type]
        None, description="获取方式（缺省 email）"
    )
    confirm_old_received_on: Boolean | None = Field(None, description=_CONFIRM_TEXT)


# ---------------------------------------------------------------- one step of the procedure

_NOTE = "说明，记入办理记录"
_DATE = "办理日期（不得晚于今天，不得早于上一步）"


def _example(**values: Any) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [values]})


class _Step(Input):
    date: Day = Field(description=_DATE)


class RequestCorrection(_Step):
    """通知补正（条例第三十条）"""

    model_config = _example(
        action="request_correction", date="2025-03-05", items="请写明所需文件的名称或文号"
    )
    action: Literal["request_correction"] = Field(description="操作")
    items: Text = Field(description="需要补正的事项，一次性告知（条例第三十条）")
    period: Text | None = Field(None, description="补正期限的补充说明")
    workdays: int | None = Field(
        None,
        ge=1,
        le=60,
        description="补正期限：通知之日起的工作日数（默认15个工作日），告知书写明截止日期",
    )


class ReceiveCorrection(_Step):
    """收到补正"""

    model_config = _example(action="receive_correction", date="2025-03-10", note="已补正")
    action: Literal["receive_correction"] = Field(description="操作")
    note: Text | None = Field(None, description=_NOTE)


class CloseNoCorrection(_Step):
    """逾期未补正，视为放弃（条例第三十条）"""

    model_config = _example(action="close_no_correction", date="2025-04-01")
    action: Literal["close_no_correction"] = Field(description="操作")
    note: Text | None = Field(None, description=_NOTE)


class StartConsultation(_Step):
    """征求意见（条例第三十二条、第三十四条）"""

    model_config = _example(
        action="start_consultation", date="2025-03-05", party="third_party",
        consulted="某某有限公司",
    )  # fmt: skip
    action: Literal["start_consultation"] = Field(description="操作")
    party: choice(("third_party", "agency")) = Field(  # type: ignore[valid-type]
        description="被征求意见方：third_party 第三方（第三十二条）、agency 其他机关（第三十四条）"
    )
    consulted: Text = Field(description="被征求意见的第三方或机关名称")
    note: Text | None = Field(None, description=_NOTE)


class EndConsultation(_Step):
    """收到意见"""

    model_config = _example(action="end_consultation", date="2025-03-10", opinion="同意公开")
    action: Literal["end_consultation"] = Field(description="操作")
    opinion: Text | None = Field(None, description="收到的意见")
    note: Text | None = Field(None, description=_NOTE)


class Extend(_Step):
    """延长答复期限（条例第三十三条第二款）"""

    model_config = _example(action="extend", date="2025-03-05", reason="涉及多个部门，需进一步核实")
    action: Literal["extend"] = Field(description="操作")
    reason: Text = Field(description="延期理由（经工作机构负责人同意，条例第三十三条第二款）")


class NotifyFee(_Step):
    """通知收费（国办函〔2020〕109号）"""

    model_config = _example(action="notify_fee", date="2025-03-05", amount=100, method="by_count")
    action: Literal["notify_fee"] = Field(description="操作")
    amount: Integer = Field(description="收费金额（元，正整数）")
    method: choice(("by_count", "by_pages")) = Field(  # type: ignore[valid-type]
        description="计费方式：by_count 按件、by_pages 按量"
    )
    basis: Text | None = Field(None, description="计费依据（国办函〔2020〕109号）")


class ReceiveFee(_Step):
    """收到费用"""

    model_config = _example(action="receive_fee", date="2025-03-10")
    action: Literal["receive_fee"] = Field(description="操作")
    note: Text | None = Field(None, description=_NOTE)


class CloseNoFee(_Step):
    """逾期未缴费，视为放弃"""

    model_config = _example(action="close_no_fee", date="2025-04-10", note="逾期未缴费")
    action: Literal["close_no_fee"] = Field(description="操作")
    note: Text | None = Field(None, description=_NOTE)


class ProposeReply(_Step):
    """拟定答复，提交审核"""

    model_config = _example(action="propose_reply", date="2025-03-05", outcome="r_open")
    action: Literal["propose_reply"] = Field(description="操作")
    outcome: choice(REPLY_OUTCOMES) = Field(description="答复类型（年报表三的行）")  # type: ignore[valid-type]
    legal_basis: Text | None = Field(None, description="法律依据（缺省为该答复类型的通常依据）")
    reasons: Text | None = Field(
        None, description="具体理由（部分公开、不予公开、无法提供、不予处理时必填，写入告知书）"
    )
    note: Text | None = Field(None, description=_NOTE)


class ReturnReply(_Step):
    """退回修改"""

    model_config = _example(action="return_reply", date="2025-03-06", note="请补充法律依据")
    action: Literal["return_reply"] = Field(description="操作")
    note: Text = Field(description="退回修改的意见")


class Reply(_Step):
    """审核通过并答复"""

    model_config = _example(action="reply", date="2025-03-05", outcome="r_open")
    action: Literal["reply"] = Field(description="操作")
    outcome: choice(REPLY_OUTCOMES) | None = Field(  # type: ignore[valid-type]
        None, description="答复类型（缺省采用最近一次拟定的答复）"
    )
    legal_basis: Text | None = Field(None, description="法律依据（缺省为该答复类型的通常依据）")
    note: Text | None = Field(None, description=_NOTE)


class Deliver(_Step):
    """送达"""

    model_config = _example(action="deliver", date="2025-03-06", method="email")
    action: Literal["deliver"] = Field(description="操作")
    method: choice(("in_person", "mail", "email", "online")) = Field(  # type: ignore[valid-type]
        description="送达方式"
    )
    tracking_number: Text | None = Field(None, description="邮件单号（邮寄送达时必填）")
    note: Text | None = Field(None, description=_NOTE)


class Archive(_Step):
    """归档"""

    model_config = _example(action="archive", date="2025-03-10")
    action: Literal["archive"] = Field(description="操作")
    note: Text | None = Field(None, description=_NOTE)


class Withdraw(_Step):
    """申请人撤回"""

    model_config = _example(action="withdraw", date="2025-03-05", note="申请人书面撤回")
    action: Literal["withdraw"] = Field(description="操作")
    note: Text | None = Field(None, description=_NOTE)


# A correction names what it changes with the registration's own members, all optional.
class ApplicantChanges(Input):
    """要更正的申请人信息"""

    type: choice(_values(ApplicantType)) | None = Field(None, description="申请人类型")  # type: ignore[valid-type]
    name: Text | None = Field(
        None, description="申请人姓名或名称", max_length=_max("applicant_name")
    )
    id_type: choice(_values(IdType)) | None = Field(None, description="证件类型")  # type: ignore[valid-type]
    id_number: Text | None = Field(None, description="证件号码", max_length=100)
    phone: Text | None = Field(None, description="联系电话", max_length=_max("phone"))
    address: Text | None = Field(None, description="通讯地址", max_length=_max("address"))
    postcode: Text | None = Field(None, description="邮政编码", max_length=_max("postcode"))
    email: Email | None = Field(None, description="电子邮箱", max_length=_max("email"))


class RegistrationChanges(Input):
    """要更正的登记信息：与登记申请相同的字段，只写要更正的"""

    applicant: ApplicantChanges | None = Field(None, description="申请人")
    channel: choice(_values(Channel)) | None = Field(None, description="申请方式")  # type: ignore[valid-type]
    received_on: Day | None = Field(None, description="收到申请之日")
    content: Text | None = Field(None, description="申请内容")
    purpose: Text | None = Field(None, description="用途说明", max_length=_max("purpose"))
    form: choice(tuple(Form.values)) | None = Field(None, description="载体形式")  # type: ignore[valid-type]
    delivery: choice(tuple(Delivery.values)) | None = Field(None, description="获取方式")  # type: ignore[valid-type]


_REASON = "理由，记入办理记录和审计日志"


class Correct(Input):
    """更正登记信息（带理由，记入审计日志）"""

    model_config = _example(
        action="correct", changes={"applicant": {"name": "张珊"}},
        reason="申请人姓名登记有误，据申请书原件更正",
    )  # fmt: skip
    action: Literal["correct"] = Field(description="操作")
    changes: RegistrationChanges = Field(description="要更正的登记信息，只写要更正的字段")
    reason: Text = Field(description=_REASON, max_length=500)
    confirm_old_received_on: Boolean | None = Field(None, description=_CONFIRM_TEXT)


class Transfer(_Step):
    """转办：告知申请人负责公开的机关并转交其办理（条例第三十六条第（五）项）"""

    model_config = _example(action="transfer", date="2025-03-10", to_organisation="WCCZJ")
    action: Literal["transfer"] = Field(description="操作")
    to_organisation: Text = Field(description="本级人民政府所属、负责公开该信息的机关的机构代码")
    note: Text | None = Field(
        None, description="告知内容（默认写明负责机关、转办日期和新申请编号）"
    )


class Approve(_Step):
    """审核同意，呈分管领导签批（本机关设置了分管领导签批时）"""

    model_config = _example(action="approve", date="2025-03-10", note="同意，呈领导签批")
    action: Literal["approve"] = Field(description="操作")
    note: Text | None = Field(None, description="审核意见")


class Void(Input):
    """作废误登记的申请（带理由，记入审计日志）"""

    model_config = _example(action="void", reason="重复登记（与 WCBGS-2025-0001 为同一申请）")
    action: Literal["void"] = Field(description="操作")
    reason: Text = Field(description=_REASON, max_length=500)


STEP_INPUTS: dict[Action, type[_Step]] = {
    Action.REQUEST_CORRECTION: RequestCorrection,
    Action.RECEIVE_CORRECTION: ReceiveCorrection,
    Action.CLOSE_NO_CORRECTION: CloseNoCorrection,
    Action.START_CONSULTATION: StartConsultation,
    Action.END_CONSULTATION: EndConsultation,
    Action.EXTEND: Extend,
    Action.NOTIFY_FEE: NotifyFee,
    Action.RECEIVE_FEE: ReceiveFee,
    Action.CLOSE_NO_FEE: CloseNoFee,
    Action.PROPOSE_REPLY: ProposeReply,
    Action.RETURN_REPLY: ReturnReply,
    Action.REPLY: Reply,
    Action.DELIVER: Deliver,
    Action.ARCHIVE: Archive,
    Action.WITHDRAW: Withdraw,
    Action.TRANSFER: Transfer,
    Action.APPROVE: Approve,
}

# The body of POST /api/applications/{id}/actions: `action` picks the variant.
ActionInput = Annotated[
    RequestCorrection | ReceiveCorrection | CloseNoCorrection | StartConsultation
    | EndConsultation | Extend | NotifyFee | ReceiveFee | CloseNoFee | ProposeReply
    | ReturnReply | Reply | Deliver | Archive | Withdraw | Transfer | Approve | Correct | Void,
    Field(discriminator="action", description="办理一步的请求体；action 决定其余字段"),
]  # fmt: skip

# A member whose name is not the service's keyword argument.
SERVICE_KEYWORDS = {"outcome": "outcome_key"}
# Member of `changes.applicant` → the service's field name (CORRECTABLE_FIELDS).
APPLICANT_KEYS = {"type": "applicant_type", "name": "applicant_name"}


# ---------------------------------------------------------------- the list's query


DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY = 50, 200, 100
_MANY = "；可重复或用英文逗号分隔多个值"


def _many(values: Sequence[str]) -> Any:
    """A repeatable query parameter; the view splits commas and checks the values."""
    schema = {"type": "array", "items": {"type": "string", "enum": list(values)}}
    return Annotated[list[str] | None, WithJsonSchema(schema)]


class ListQuery(BaseModel):
    """The ledger's filters (GET /api/applications); unknown parameters are refused."""

    status: _many(_values(Status)) = Field(None, description="办理状态" + _MANY)  # type: ignore[valid-type]
    outcome: _many(tuple(o.key for o in outcomes())) = Field(None, description="答复类型" + _MANY)  # type: ignore[valid-type]
    applicant_type: _many(_values(ApplicantType)) = Field(None, description="申请人类型" + _MANY)  # type: ignore[valid-type]
    channel: _many(_values(Channel)) = Field(None, description="申请方式" + _MANY)  # type: ignore[valid-type]
    received_from: Day | None = Field(None, description="收到申请之日不早于（含）")
    received_to: Day | None = Field(None, description="收到申请之日不晚于（含）")
    q: str | None = Field(
        None, description="关键词：申请编号的开头，或申请人、申请内容中的文字", max_length=MAX_QUERY
    )
    org: str | None = Field(None, description="受理机关的机构代码（须为调用者可查看的机构）")
    limit: int = Field(
        DEFAULT_LIMIT, description=f"每页条数，缺省 {DEFAULT_LIMIT}", ge=1, le=MAX_LIMIT
    )
    cursor: str | None = Field(None, description="上一页返回的 next_cursor（不透明字符串）")


LIST_PARAMS = tuple(ListQuery.model_fields)
CHOICE_PARAMS = {
    "status": _values(Status),
    "outcome": tuple(o.key for o in outcomes()),
    "applicant_type": _values(ApplicantType),
    "channel": _values(Channel),
}


# ---------------------------------------------------------------- responses


class Output(BaseModel):
    """A response object: documented completely (an undocumented member is a server error).

    A plain pydantic model, not a ninja Schema: ninja's Schema reads every nested object through
    its Django-aware getter in Python, which doubled the cost of a 50-row page
    (bench/api_throughput.py); responses are dicts, which pydantic validates in its core.
    """

    model_config = ConfigDict(extra="forbid")


def _labels(pairs: Sequence[tuple[str, str]]) -> str:
    return "、".join(f"{value} {label}" for value, label in pairs)


class Error(Output):
    """错误。field 指出出错的字段（如 applicant.id_number、date），无法指出时为 null"""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"error": "缺少必填字段：date", "field": "date"}]},
    )
    error: str = Field(description="中文错误说明，可直接展示给用户")
    field: str | None = Field(description="出错的字段名")


class Applicant(Output):
    """申请人。证件号码和联系电话默认只显示脱敏值；申请详情加 reveal=1 时，本机关经办人、审核人、
    管理员可取得完整值（每次均记入审计日志）"""

    type: str = Field(
        description="申请人类型：" + _labels([(t.value, t.label) for t in ApplicantType])
    )
    type_label: str = Field(description="申请人类型名称")
    name: str = Field(description="姓名或名称")
    id_type: str = Field(description="证件类型：" + _labels([(t.value, t.label) for t in IdType]))
    id_type_label: str = Field(description="证件类型名称")
    id_number_masked: str = Field(description="打码的证件号码，如 1101**********002X")
    id_number: str | None = Field(None, description="完整的证件号码（仅 reveal=1 时提供）")
    phone: str = Field(description="联系电话：脱敏值，如 138****0000；reveal=1 时为完整号码")
    address: str = Field(description="通讯地址")
    postcode: str = Field(description="邮政编码")
    email: str = Field(description="电子邮箱")


class Deadlines(Output):
    """法定期限，按受理机关的工作日历（含调休）于请求当日重新计算"""

    receipt_date: dt.date = Field(description="收到申请之日")
    clock_start: dt.date = Field(
        description="计算期限的起点（收到补正后的申请之日，或非工作日收到时的下一个工作日）"
    )
    correction_notice_due: dt.date = Field(description="补正告知期限（条例第三十条，7个工作日）")
    reply_due: dt.date | None = Field(
        description="答复期限（条例第三十三条，20个工作日，扣除不计入的期间）"
    )
    extended_reply_due: dt.date | None = Field(description="延长后的答复期限，未延期为 null")
    current_due: dt.date | None = Field(
        description="当前适用的答复期限：已延期时为延长后的期限；等待补正时为 null"
    )
    fee_payment_due: dt.date | None = Field(
        description="缴费期限（国办函〔2020〕109号，20个工作日）"
    )
    third_party_answer_due: dt.date | None = Field(description="被征求意见方答复期限（15个工作日）")
    remaining_working_days: int | None = Field(
        description="距答复期限剩余的工作日数，逾期为负数；暂停或等待补正时为 null"
    )
    overdue: bool | None = Field(description="是否已逾期")
    provisional: bool = Field(description="期间涉及尚未公布放假安排的年份，期限为暂定")
    clock_status: Literal[tuple(_values(ClockStatus))] = Field(  # type: ignore[valid-type]
        description="计时状态：" + _labels([(s.value, s.label) for s in ClockStatus])
    )
    clock_status_label: str = Field(description="计时状态名称")


class TrailEntry(Output):
    """期限计算过程的一步"""

    date: dt.date = Field(description="日期")
    reason: str = Field(description="说明")


class DeadlinesDetail(Deadlines):
    """法定期限，按受理机关的工作日历（含调休）于请求当日重新计算；详情另附计算过程 trail"""

    trail: list[TrailEntry] = Field(description="期限的计算过程：不计入的日期、暂停、各项期限")


class TimelineEntry(Output):
    """办理记录的一步"""

    id: int = Field(description="记录的内部编号")
    action: str = Field(description="register（登记）或操作名")
    action_label: str = Field(description="操作名称")
    date: dt.date = Field(description="办理日期")
    actor: str | None = Field(description="办理人用户名")
    note: str = Field(description="说明")
    data: dict[str, Any] = Field(description="操作的具体内容，如补正事项、收费金额、答复类型")


class ApplicationBase(Output):
    id: int = Field(description="申请的内部编号，用于本 API 的路径")
    tracking_no: str = Field(description="申请编号，如 WCBGS-2025-0001")
    org: str = Field(description="受理机关的机构代码")
    org_name: str = Field(description="受理机关名称")
    status: Literal[tuple(_values(Status))] = Field(  # type: ignore[valid-type]
        description="办理状态：" + _labels([(s.value, s.label) for s in Status])
    )
    status_label: str = Field(description="办理状态名称")
    applicant: Applicant
    channel: str = Field(description="申请方式：" + _labels([(c.value, c.label) for c in Channel]))
    channel_label: str = Field(description="申请方式名称")
    received_on: dt.date = Field(description="收到申请之日")
    content: str = Field(description="申请公开的内容")
    purpose: str = Field(description="用途说明")
    form: str = Field(description="载体形式：" + _labels(Form.choices))
    delivery: str = Field(description="获取方式：" + _labels(Delivery.choices))
    outcome: Literal[tuple(o.key for o in outcomes())] | None = Field(  # type: ignore[valid-type]
        description="答复类型（年报表三的行），未办结为 null"
    )
    outcome_label: str | None = Field(description="答复类型名称")
    legal_basis: str | None = Field(description="法律依据")
    concluded_on: dt.date | None = Field(description="办结日期（答复或终止之日）")
    archived_on: dt.date | None = Field(description="归档日期")
    extended: bool = Field(description="是否已延期")
    allowed_actions: list[Literal[tuple(_values(Action))]] = Field(  # type: ignore[valid-type]
        description="调用者现在可以执行的操作（按状态和角色）"
    )


class ApplicationRow(ApplicationBase):
    """政府信息公开申请（列表中的一行）"""

    deadlines: Deadlines


class ApplicationDetail(ApplicationBase):
    """政府信息公开申请的详情：另含期限计算过程和办理记录"""

    deadlines: DeadlinesDetail
    timeline: list[TimelineEntry] = Field(description="办理记录")


class ApplicationList(Output):
    """一页申请，按收到申请之日倒序、内部编号倒序"""

    results: list[ApplicationRow] = Field(description="本页的申请")
    next_cursor: str | None = Field(
        description="下一页的游标，作为 cursor 参数传回；没有下一页时为 null"
    )
    limit: int = Field(description="本页的最大条数")
