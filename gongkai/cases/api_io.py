"""The shapes of the JSON API: request bodies checked field by field, applications as JSON.

Only shape is checked here (JSON types, required and unknown fields, lengths, date format); what a
value means (a valid ID number, a legal step, a known outcome) is for the services, so that each
rule has one home and one message. The field tables are also what `api_schema` documents.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest

from gongkai.cases.models import Application, Delivery, Event, Form
from gongkai.cases.services import Applicant, Registration, masked_changes
from gongkai.domain.deadline_model import Channel, Deadlines
from gongkai.domain.identity import IdType
from gongkai.domain.lifecycle import (
    Action,
    ApplicantType,
    RecordChange,
    Status,
    outcome,
    outcomes,
)


class ApiError(Exception):
    """A request the API refuses before any service runs: 400 (not JSON), 422 (bad shape), or
    403 (a list filter naming an organisation the caller cannot read)."""

    def __init__(self, message: str, *, status: int = 422, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


@dataclass(frozen=True)
class Field:
    """One member of a request object: its JSON type, whether it is required, and its docs."""

    name: str
    type: str  # "string" | "integer" | "boolean" | "date" | "object"
    description: str
    required: bool = False
    max_length: int | None = None
    enum: tuple[str, ...] = ()  # documented; the services check the value
    email: bool = False
    param: str = ""  # the service's keyword argument, when it is not `name`
    fields: tuple[Field, ...] = ()  # members of an object
    example: Any = None

    @property
    def keyword(self) -> str:
        return self.param or self.name


def _max(name: str) -> int | None:
    """The column's length, so that a value too long is 422 here rather than an error in the
    database (PostgreSQL enforces varchar lengths; SQLite does not)."""
    length: int | None = getattr(Application._meta.get_field(name), "max_length", None)
    return length


def _values(enum: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


# The list: page sizes, keyword length, and the query parameters it accepts.
DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY = 50, 200, 100
LIST_PARAMS = (
    "status",
    "outcome",
    "applicant_type",
    "channel",
    "received_from",
    "received_to",
    "q",
    "org",
    "limit",
    "cursor",
)

REPLY_OUTCOMES = tuple(o.key for o in outcomes() if o.by_reply)
PARTIES = ("third_party", "agency")
FEE_METHODS = ("by_count", "by_pages")
DELIVERY_METHODS = ("in_person", "mail", "email", "online")

APPLICANT_FIELDS = (
    Field("type", "string", "申请人类型", True, enum=_values(ApplicantType), example="natural"),
    Field("name", "string", "申请人姓名或名称", True, _max("applicant_name"), example="张三"),
    Field("id_type", "string", "证件类型", True, enum=_values(IdType), example="resident_id"),
    Field(
        "id_number",
        "string",
        "证件号码；居民身份证、统一社会信用代码核对校验位",
        True,
        100,
        example="11010519491231002X",
    ),
    Field(
        "phone",
        "string",
        "联系电话（电话、地址、电子邮箱至少填一项）",
        max_length=_max("phone"),
        example="13800000000",
    ),
    Field("address", "string", "通讯地址", max_length=_max("address")),
    Field("postcode", "string", "邮政编码", max_length=_max("postcode")),
    Field("email", "string", "电子邮箱", max_length=_max("email"), email=True),
)

REGISTRATION_FIELDS = (
    Field("org", "string", "受理机关的机构代码", True, example="WCBGS"),
    Field(
        "applicant", "object", "申请人（条例第二十九条第二款（一））", True, fields=APPLICANT_FIELDS
    ),
    Field(
        "channel",
        "string",
        "申请方式（决定收到申请之日，条例第三十一条）",
        True,
        enum=_values(Channel),
        example="online",
    ),
    Field("received_on", "date", "收到申请之日（不得晚于今天）", True, example="2025-03-03"),
    Field(
        "content",
        "string",
        "申请公开的政府信息的名称、文号或便于查询的其他特征性描述",
        True,
        example="请公开2024年某项目的批复文件",
    ),
    Field("purpose", "string", "用途说明", max_length=_max("purpose")),
    Field(
        "form",
        "string",
        "载体形式（缺省 electronic）",
        enum=tuple(Form.values),
        example="electronic",
    ),
    Field(
        "delivery", "string", "获取方式（缺省 email）", enum=tuple(Delivery.values), example="email"
    ),
)
CONFIRM_FIELD = Field(
    "confirm_old_received_on",
    "boolean",
    f"收到申请之日距今超过{settings.RECEIPT_CONFIRM_DAYS}天时须为 true，表示已核对无误"
    "（防止把2025写成2015之类的笔误；缺省 false）",
    example=True,
)
REGISTRATION_INPUT = (*REGISTRATION_FIELDS, CONFIRM_FIELD)

ACTION_FIELD = Field(
    "action", "string", "操作", True, enum=(*_values(Action), *_values(RecordChange))
)
DATE_FIELD = Field(
    "date", "date", "办理日期（不得晚于今天，不得早于上一步）", True, example="2025-03-05"
)
_NOTE = Field("note", "string", "说明，记入办理记录")

ACTION_FIELDS: Mapping[Action, tuple[Field, ...]] = {
    Action.REQUEST_CORRECTION: (
        Field(
            "items",
            "string",
            "需要补正的事项，一次性告知（条例第三十条）",
            True,
            example="请写明所需文件的名称或文号",
        ),
        Field("period", "string", "补正期限说明", example="自收到本通知之日起15个工作日内"),
    ),
    Action.RECEIVE_CORRECTION: (_NOTE,),
    Action.CLOSE_NO_CORRECTION: (_NOTE,),
    Action.START_CONSULTATION: (
        Field(
            "party",
            "string",
            "被征求意见方：third_party 第三方（第三十二条）、agency 其他机关（第三十四条）",
            True,
            enum=PARTIES,
            example="third_party",
        ),
        Field("consulted", "string", "被征求意见的第三方或机关名称", True, example="某某有限公司"),
        _NOTE,
    ),
    Action.END_CONSULTATION: (Field("opinion", "string", "收到的意见"), _NOTE),
    Action.EXTEND: (
        Field(
            "reason",
            "string",
            "延期理由（经工作机构负责人同意，条例第三十三条第二款）",
            True,
            example="涉及多个部门，需进一步核实",
        ),
    ),
    Action.NOTIFY_FEE: (
        Field("amount", "integer", "收费金额（元，正整数）", True, example=100),
        Field(
            "method",
            "string",
            "计费方式：by_count 按件、by_pages 按量",
            True,
            enum=FEE_METHODS,
            example="by_count",
        ),
        Field("basis", "string", "计费依据（国办函〔2020〕109号）"),
    ),
    Action.RECEIVE_FEE: (_NOTE,),
    Action.CLOSE_NO_FEE: (_NOTE,),
    Action.PROPOSE_REPLY: (
        Field(
            "outcome",
            "string",
            "答复类型（年报表三的行）",
            True,
            enum=REPLY_OUTCOMES,
            param="outcome_key",
            example="r_open",
        ),
        Field("legal_basis", "string", "法律依据（缺省为该答复类型的通常依据）"),
        _NOTE,
    ),
    Action.RETURN_REPLY: (
        Field("note", "string", "退回修改的意见", True, example="请补充法律依据"),
    ),
    Action.REPLY: (
        Field(
            "outcome",
            "string",
            "答复类型（缺省采用最近一次拟定的答复）",
            enum=REPLY_OUTCOMES,
            param="outcome_key",
            example="r_open",
        ),
        Field("legal_basis", "string", "法律依据（缺省为该答复类型的通常依据）"),
        _NOTE,
    ),
    Action.DELIVER: (
        Field("method", "string", "送达方式", True, enum=DELIVERY_METHODS, example="email"),
        Field("tracking_number", "string", "邮件单号（邮寄送达时必填）"),
        _NOTE,
    ),
    Action.ARCHIVE: (_NOTE,),
    Action.WITHDRAW: (_NOTE,),
}


def _optional(f: Field) -> Field:
    return replace(f, required=False, fields=tuple(_optional(m) for m in f.fields))


# A correction names what it changes with the registration's own members, all optional.
CORRECTION_FIELDS = tuple(_optional(f) for f in REGISTRATION_FIELDS if f.name != "org")
_REASON = Field("reason", "string", "理由，记入办理记录和审计日志", True, 500)
RECORD_CHANGE_FIELDS: Mapping[RecordChange, tuple[Field, ...]] = {
    RecordChange.CORRECT: (
        Field(
            "changes",
            "object",
            "要更正的登记信息：与登记申请相同的字段，只写要更正的",
            True,
            fields=CORRECTION_FIELDS,
            example={"applicant": {"name": "张珊"}},
        ),
        replace(_REASON, example="申请人姓名登记有误，据申请书原件更正"),
        CONFIRM_FIELD,
    ),
    RecordChange.VOID: (replace(_REASON, example="重复登记（与 WCBGS-2025-0001 为同一申请）"),),
}
# Member of `changes` → the service's field name (CORRECTABLE_FIELDS).
_APPLICANT_KEYS = {"type": "applicant_type", "name": "applicant_name"}

# ---------------------------------------------------------------- reading requests

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Request bodies are objects with at most one nested object (the applicant, a correction's
# changes): deeper nesting is refused before anything reads it.
MAX_DEPTH = 4
# The API's numbers are amounts in yuan and years: more digits than this are no number it takes.
MAX_DIGITS = 20


def parse_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object of the request body; 400 (413 when too large) when it is not one.

    Every malformed body gets a JSON error, never a server error: bodies over Django's upload
    limit, not UTF-8 (RFC 8259 §8.1), not JSON (NaN and Infinity included), nested deeper than
    MAX_DEPTH (however deep: the parser's recursion is caught), numbers of more than MAX_DIGITS
    digits, and strings with lone surrogates, which no database can store."""
    try:
        raw = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raise ApiError(f"请求体过大（上限{limit}字节）", status=413) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError("请求体不是有效的 JSON（应为 UTF-8 编码）", status=400) from None
    try:
        data = json.loads(
            text, parse_constant=_not_json, parse_int=_bounded_int, parse_float=_finite_float
        )
    except json.JSONDecodeError as exc:
        where = f"第{exc.lineno}行第{exc.colno}列" if text.strip() else "请求体为空"
        hint = _content_type_hint(request)
        raise ApiError(f"请求体不是有效的 JSON（{where}）{hint}", status=400) from None
    except RecursionError:
        raise ApiError(f"请求体嵌套过深（最多{MAX_DEPTH}层）", status=400) from None
    if not isinstance(data, dict):
        raise ApiError("请求体应为 JSON 对象", status=400)
    _check_structure(data)
    return data


def _not_json(name: str) -> Any:
    raise ApiError(f"请求体不是有效的 JSON（{name} 不是 JSON 数值）", status=400)


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ApiError(f"请求体中的数字过大（最多{MAX_DIGITS}位）", status=400)
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ApiError(f"请求体中的数字超出范围：{text[:40]}", status=400)
    return value


def _content_type_hint(request: HttpRequest) -> str:
    received = request.content_type or ""
    if received in ("application/json", ""):
        return ""
    return f"；请以 Content-Type: application/json 发送 JSON（收到的是 {received[:60]}）"


def _check_structure(data: dict[str, Any]) -> None:
    """Depth and strings, walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            raise ApiError(f"请求体嵌套过深（最多{MAX_DEPTH}层）", status=400)
        if isinstance(value, dict):
            for key, member in value.items():
                _check_text(key)
                stack.append((member, depth + 1))
        elif isinstance(value, list):
            stack.extend((member, depth + 1) for member in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # "\ud800" alone: valid JSON escape, but no character; neither database can store it.
        raise ApiError("请求体含有无效的 Unicode 字符（单独的代理项）", status=400) from None


def check_fields(data: Any, fields: Sequence[Field], prefix: str = "") -> dict[str, Any]:
    """The members of `data` converted to Python values; ApiError naming the first bad field.

    A member given as null counts as absent.
    """
    if not isinstance(data, dict):
        raise ApiError(f"{prefix.rstrip('.')}应为 JSON 对象", field=prefix.rstrip(".") or None)
    known = {f.name for f in fields}
    for key in data:
        if key not in known:
            allowed = "、".join(f.name for f in fields)
            shown = key if len(key) <= 40 else key[:40] + "…"
            raise ApiError(
                f"未知字段：{prefix}{shown}（可用字段：{allowed}）", field=(prefix + key)[:100]
            )
    values: dict[str, Any] = {}
    for f in fields:
        if data.get(f.name) is None:
            if f.required:
                raise ApiError(
                    f"缺少必填字段：{prefix}{f.name}（{f.description}）", field=prefix + f.name
                )
            continue
        values[f.name] = _convert(f, data[f.name], prefix + f.name)
    return values


def parse_date(value: Any, name: str) -> dt.date:
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ApiError(f"{name} 应为 YYYY-MM-DD 格式的有效日期，实际为 {_shown(value)}", field=name)


def _convert(f: Field, value: Any, name: str) -> Any:
    if f.type == "object":
        return check_fields(value, f.fields, name + ".")
    if f.type == "date":
        return parse_date(value, name)
    if f.type == "boolean":
        if not isinstance(value, bool):
            raise ApiError(f"{name} 应为 true 或 false，实际为 {_shown(value)}", field=name)
        return value
    if f.type == "integer":
        # bool is an int in Python but not in JSON.
        if not isinstance(value, int) or isinstance(value, bool):
            raise ApiError(f"{name} 应为整数，实际为 {_shown(value)}", field=name)
        return value
    if not isinstance(value, str):
        raise ApiError(f"{name} 应为字符串，实际为 {_shown(value)}", field=name)
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
        raise ApiError(f"{name} 含有不允许的空字符（\\u0000）", field=name)
    if f.max_length is not None and len(value) > f.max_length:
        raise ApiError(f"{name} 过长（最多{f.max_length}个字符）", field=name)
    if f.email and value.strip():
        try:
            validate_email(value.strip())
        except ValidationError:
            raise ApiError(f"{name} 不是有效的电子邮箱地址", field=name) from None
    return value


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"


def registration_from(data: dict[str, Any]) -> tuple[str, Registration, bool]:
    """The organisation code, the registration a POST /api/applications body describes, and
    whether an old receipt date is confirmed."""
    values = check_fields(data, REGISTRATION_INPUT)
    confirmed = bool(values.pop(CONFIRM_FIELD.name, False))
    person = values.pop("applicant")
    applicant = Applicant(
        type=person.pop("type"),
        name=person.pop("name"),
        id_type=person.pop("id_type"),
        id_number=person.pop("id_number"),
        **person,
    )
    org = values.pop("org")
    return org, Registration(applicant=applicant, **values), confirmed


def is_record_change(data: dict[str, Any]) -> bool:
    action = data.get("action")
    return isinstance(action, str) and action in {change.value for change in RecordChange}


def record_change_from(data: dict[str, Any]) -> tuple[RecordChange, dict[str, Any]]:
    """The change and the service's keyword arguments of a `correct` or `void` body."""
    change = RecordChange(data["action"])
    values = check_fields(data, (ACTION_FIELD, *RECORD_CHANGE_FIELDS[change]))
    kwargs: dict[str, Any] = {"reason": values["reason"]}
    if change is RecordChange.CORRECT:
        changes = dict(values["changes"])
        for key, value in changes.pop("applicant", {}).items():
            changes[_APPLICANT_KEYS.get(key, key)] = value
        kwargs["changes"] = changes
        kwargs["confirm_old_received_on"] = bool(values.get(CONFIRM_FIELD.name, False))
    return change, kwargs


def action_from(data: dict[str, Any]) -> tuple[Action, dt.date, dict[str, Any]]:
    """The action, its date and the service's keyword arguments of an actions body."""
    name = data.get("action")
    if name is None:
        raise ApiError("缺少必填字段：action（操作）", field="action")
    if name not in ACTION_FIELD.enum:
        choices = "、".join(ACTION_FIELD.enum)
        raise ApiError(f"未知的操作：{_shown(name)}（可选：{choices}）", field="action")
    action = Action(name)
    specific = ACTION_FIELDS[action]
    values = check_fields(data, (ACTION_FIELD, DATE_FIELD, *specific))
    kwargs = {f.keyword: values[f.name] for f in specific if f.name in values}
    return action, values["date"], kwargs


# ---------------------------------------------------------------- writing responses


def iso(day: dt.date | dt.datetime | None) -> str | None:
    return None if day is None else day.isoformat()


def application_json(
    application: Application,
    deadlines: Deadlines,
    actions: Sequence[Action],
    *,
    detail: bool = False,
    revealed: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An application as the API shows it; the detail adds the deadline trail and the timeline.

    The ID number and the phone are masked unless `revealed` gives their full values (the detail
    with `?reveal=1`, audited by `gongkai.cases.personal.reveal`).
    """
    a = application
    chosen = outcome(a.outcome) if a.outcome else None
    data: dict[str, Any] = {
        "id": a.pk,
        "tracking_no": a.tracking_no,
        "org": a.organisation.code,
        "org_name": a.organisation.name,
        "status": a.status,
        "status_label": Status(a.status).label,
        "applicant": applicant_json(a, revealed),
        "channel": a.channel,
        "channel_label": Channel(a.channel).label,
        "received_on": iso(a.received_on),
        "content": a.content,
        "purpose": a.purpose,
        "form": a.form,
        "delivery": a.delivery,
        "outcome": chosen.key if chosen else None,
        "outcome_label": chosen.label if chosen else None,
        "legal_basis": a.legal_basis or None,
        "concluded_on": iso(a.concluded_on),
        "archived_on": iso(a.archived_on),
        "extended": a.extended,
        "deadlines": deadlines_json(deadlines, trail=detail),
        "allowed_actions": [action.value for action in actions],
    }
    if detail:
        data["timeline"] = [event_json(event) for event in _sorted_events(a)]
    return data


def applicant_json(a: Application, revealed: dict[str, str] | None = None) -> dict[str, Any]:
    data = {
        "type": a.applicant_type,
        "type_label": ApplicantType(a.applicant_type).label,
        "name": a.applicant_name,
        "id_type": a.id_type,
        "id_type_label": IdType(a.id_type).label,
        "id_number_masked": a.masked_id,
        "phone": a.masked_phone,
        "address": a.address,
        "postcode": a.postcode,
        "email": a.email,
    }
    if revealed is not None:
        data["id_number"] = revealed["id_number"]
        data["phone"] = revealed["phone"]
    return data


def deadlines_json(d: Deadlines, *, trail: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "receipt_date": iso(d.receipt_date),
        "clock_start": iso(d.clock_start),
        "correction_notice_due": iso(d.correction_notice_due),
        "reply_due": iso(d.reply_due),
        "extended_reply_due": iso(d.extended_reply_due),
        "current_due": iso(d.governing_due),
        "fee_payment_due": iso(d.fee_payment_due),
        "third_party_answer_due": iso(d.third_party_answer_due),
        "remaining_working_days": d.remaining_working_days,
        "overdue": d.overdue,
        "provisional": d.provisional,
        "clock_status": d.status.value,
        "clock_status_label": d.status.label,
    }
    if trail:
        data["trail"] = [{"date": iso(e.date), "reason": e.reason} for e in d.trail]
    return data


def event_json(event: Event) -> dict[str, Any]:
    actor = event.actor
    data = dict(event.data or {})
    if event.action == RecordChange.CORRECT and "changes" in data:
        # Identity numbers and phones are masked in every response (see application_json).
        data["changes"] = masked_changes(data["changes"])
    return {
        "id": event.pk,
        "action": event.action,
        "action_label": event.label,
        "date": iso(event.date),
        # The name kept with the entry outlives the user; the username while the user exists.
        "actor": actor.get_username() if actor is not None else (event.actor_name or None),
        "note": event.note,
        "data": data,
    }


def _sorted_events(application: Application) -> list[Event]:
    return sorted(application.events.all(), key=lambda event: (event.date, event.id))
