"""The applications' part of the OpenAPI 3.1 document of the JSON API, as data: their operations
and schemas, composed with the other apps' parts into the document by `gongkai.api.schema`.

Request schemas are generated from the field tables the API itself checks (`api_io`), so the two
cannot drift; response schemas are written out here and checked against real responses by
tests/api/test_openapi.py, which also fails on a route of `gongkai.api.urls` that is not
documented.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gongkai.cases.api_io import (
    ACTION_FIELD,
    ACTION_FIELDS,
    DATE_FIELD,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY,
    RECORD_CHANGE_FIELDS,
    REGISTRATION_INPUT,
    Field,
)
from gongkai.cases.api_schema_base import (
    REF,
    Schema,
    date,
    enum_text,
    error,
    json_content,
    nullable,
    ref,
    string,
)
from gongkai.cases.models import Delivery, Form
from gongkai.domain.deadline_model import Channel, ClockStatus
from gongkai.domain.identity import IdType
from gongkai.domain.lifecycle import (
    RECORD_RULES,
    TRANSITIONS,
    Action,
    ApplicantType,
    RecordChange,
    Role,
    Status,
    outcomes,
)
from gongkai.domain.plausibility import MAX_FEE_YUAN


def field_schema(f: Field) -> Schema:
    """The JSON Schema of one request field."""
    if f.type == "object":
        return {**object_schema(f.fields), "description": f.description}
    schema: Schema = {"type": "string" if f.type == "date" else f.type}
    schema["description"] = f.description
    if f.type == "date":
        schema["format"] = "date"
    if f.type == "integer":
        schema["minimum"] = 1
        if f.name == "amount":
            schema["maximum"] = MAX_FEE_YUAN
    if f.max_length:
        schema["maxLength"] = f.max_length
    if f.enum:
        schema["enum"] = list(f.enum)
    if f.email:
        schema["format"] = "email"
    if f.example is not None:
        schema["examples"] = [f.example]
    return schema


def object_schema(fields: Sequence[Field]) -> Schema:
    return {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def example_of(fields: Sequence[Field]) -> dict[str, Any]:
    """A request body made of every field that has an example (required ones always do)."""
    body: dict[str, Any] = {}
    for f in fields:
        if f.example is not None:
            body[f.name] = f.example
        elif f.type == "object":
            body[f.name] = example_of(f.fields)
    return body


def action_schema(action: Action) -> Schema:
    schema = object_schema((ACTION_FIELD, DATE_FIELD, *ACTION_FIELDS[action]))
    schema["properties"]["action"] = {"const": action.value, "description": action.label}
    schema["title"] = f"{action.value}：{action.label}"
    schema["description"] = who_and_when(action)
    return schema


def who_and_when(action: Action) -> str:
    """In which statuses and by which roles `action` may be taken: the transition table."""
    transitions = [t for t in TRANSITIONS if t.action is action]
    sources = "、".join(dict.fromkeys(t.source.label for t in transitions))
    roles = "、".join(r.label for r in Role if any(r in t.roles for t in transitions))
    return f"{action.label}。适用状态：{sources}；可办理角色：{roles}"


def action_example(action: Action) -> dict[str, Any]:
    return {"action": action.value, **example_of((DATE_FIELD, *ACTION_FIELDS[action]))}


def record_change_schema(change: RecordChange) -> Schema:
    """更正登记信息 and 作废: no date (they are dated when made), a reason."""
    schema = object_schema((ACTION_FIELD, *RECORD_CHANGE_FIELDS[change]))
    schema["properties"]["action"] = {"const": change.value, "description": change.label}
    schema["title"] = f"{change.value}：{change.label}"
    rules = [rule for rule in RECORD_RULES if rule.change is change]
    sources = "、".join(dict.fromkeys(rule.source.label for rule in rules))
    roles = "、".join(r.label for r in Role if any(r in rule.roles for rule in rules))
    schema["description"] = (
        f"{change.label}，记入办理记录和审计日志。适用状态：{sources}；可办理角色：{roles}"
        + (
            "（已办结的申请，以及收到申请日期、申请方式、申请人类型的更正，须由审核人、管理员办理）"
            if change is RecordChange.CORRECT
            else ""
        )
    )
    return schema


def record_change_example(change: RecordChange) -> dict[str, Any]:
    return {"action": change.value, **example_of(RECORD_CHANGE_FIELDS[change])}


STEPS = [*(a.value for a in Action), *(c.value for c in RecordChange)]


# ---------------------------------------------------------------- responses

ERROR = {
    "type": "object",
    "description": "错误。field 指出出错的字段（如 applicant.id_number、date），无法指出时为 null",
    "properties": {
        "error": string("中文错误说明，可直接展示给用户"),
        "field": {"type": ["string", "null"], "description": "出错的字段名"},
    },
    "required": ["error", "field"],
}

APPLICANT = {
    "type": "object",
    "description": "申请人。证件号码和联系电话默认只显示脱敏值；申请详情加 reveal=1 时，"
    "本机关经办人、审核人、管理员可取得完整值（每次均记入审计日志）",
    "properties": {
        "type": string("申请人类型：" + enum_text([(t.value, t.label) for t in ApplicantType])),
        "type_label": string("申请人类型名称"),
        "name": string("姓名或名称"),
        "id_type": string("证件类型：" + enum_text([(t.value, t.label) for t in IdType])),
        "id_type_label": string("证件类型名称"),
        "id_number_masked": string("打码的证件号码，如 1101**********002X"),
        "id_number": string("完整的证件号码（仅 reveal=1 时提供）"),
        "phone": string("联系电话：脱敏值，如 138****0000；reveal=1 时为完整号码"),
        "address": string("通讯地址"),
        "postcode": string("邮政编码"),
        "email": string("电子邮箱"),
    },
    "required": [
        "type",
        "type_label",
        "name",
        "id_type",
        "id_type_label",
        "id_number_masked",
        "phone",
        "address",
        "postcode",
        "email",
    ],
}

_DEADLINE_PROPERTIES: Schema = {
    "receipt_date": date("收到申请之日"),
    "clock_start": date("计算期限的起点（收到补正后的申请之日，或非工作日收到时的下一个工作日）"),
    "correction_notice_due": date("补正告知期限（条例第三十条，7个工作日）"),
    "reply_due": nullable(date("答复期限（条例第三十三条，20个工作日，扣除不计入的期间）")),
    "extended_reply_due": nullable(date("延长后的答复期限，未延期为 null")),
    "current_due": nullable(date("当前适用的答复期限：已延期时为延长后的期限；等待补正时为 null")),
    "fee_payment_due": nullable(date("缴费期限（国办函〔2020〕109号，20个工作日）")),
    "third_party_answer_due": nullable(date("被征求意见方答复期限（15个工作日）")),
    "remaining_working_days": {
        "type": ["integer", "null"],
        "description": "距答复期限剩余的工作日数，逾期为负数；暂停或等待补正时为 null",
    },
    "overdue": {"type": ["boolean", "null"], "description": "是否已逾期"},
    "provisional": {
        "type": "boolean",
        "description": "期间涉及尚未公布放假安排的年份，期限为暂定",
    },
    "clock_status": string(
        "计时状态：" + enum_text([(s.value, s.label) for s in ClockStatus]),
        enum=[s.value for s in ClockStatus],
    ),
    "clock_status_label": string("计时状态名称"),
}
_DEADLINES_TEXT = "法定期限，按受理机关的工作日历（含调休）于请求当日重新计算"
DEADLINES: Schema = {
    "type": "object",
    "description": _DEADLINES_TEXT,
    "properties": _DEADLINE_PROPERTIES,
    "required": list(_DEADLINE_PROPERTIES),
}
DEADLINES_DETAIL = {
    **DEADLINES,
    "description": _DEADLINES_TEXT + "；详情另附计算过程 trail",
    "properties": {
        **_DEADLINE_PROPERTIES,
        "trail": {
            "type": "array",
            "description": "期限的计算过程：不计入的日期、暂停、各项期限",
            "items": {
                "type": "object",
                "properties": {"date": date("日期"), "reason": string("说明")},
                "required": ["date", "reason"],
            },
        },
    },
    "required": [*_DEADLINE_PROPERTIES, "trail"],
}

TIMELINE_ENTRY = {
    "type": "object",
    "description": "办理记录的一步",
    "properties": {
        "id": {"type": "integer"},
        "action": string("register（登记）或操作名"),
        "action_label": string("操作名称"),
        "date": date("办理日期"),
        "actor": {"type": ["string", "null"], "description": "办理人用户名"},
        "note": string("说明"),
        "data": {"type": "object", "description": "操作的具体内容，如补正事项、收费金额、答复类型"},
    },
    "required": ["id", "action", "action_label", "date", "actor", "note", "data"],
}

_STATUS_TEXT = enum_text([(s.value, s.label) for s in Status])
_APPLICATION_PROPERTIES: Schema = {
    "id": {"type": "integer", "description": "申请的内部编号，用于本 API 的路径"},
    "tracking_no": string("申请编号，如 WCBGS-2025-0001"),
    "org": string("受理机关的机构代码"),
    "org_name": string("受理机关名称"),
    "status": string("办理状态：" + _STATUS_TEXT, enum=[s.value for s in Status]),
    "status_label": string("办理状态名称"),
    "applicant": ref("Applicant"),
    "channel": string("申请方式：" + enum_text([(c.value, c.label) for c in Channel])),
    "channel_label": string("申请方式名称"),
    "received_on": date("收到申请之日"),
    "content": string("申请公开的内容"),
    "purpose": string("用途说明"),
    "form": string("载体形式：" + enum_text(Form.choices)),
    "delivery": string("获取方式：" + enum_text(Delivery.choices)),
    "outcome": {
        "type": ["string", "null"],
        "description": "答复类型（年报表三的行），未办结为 null",
        "enum": [*(o.key for o in outcomes()), None],
    },
    "outcome_label": {"type": ["string", "null"], "description": "答复类型名称"},
    "legal_basis": {"type": ["string", "null"], "description": "法律依据"},
    "concluded_on": nullable(date("办结日期（答复或终止之日）")),
    "archived_on": nullable(date("归档日期")),
    "extended": {"type": "boolean", "description": "是否已延期"},
    "deadlines": ref("Deadlines"),
    "allowed_actions": {
        "type": "array",
        "description": "调用者现在可以执行的操作（按状态和角色）",
        "items": {"type": "string", "enum": [a.value for a in Action]},
    },
}
APPLICATION = {
    "type": "object",
    "description": "政府信息公开申请（列表中的一行）",
    "properties": _APPLICATION_PROPERTIES,
    "required": list(_APPLICATION_PROPERTIES),
}
APPLICATION_DETAIL = {
    "type": "object",
    "description": "政府信息公开申请的详情：另含期限计算过程和办理记录",
    "properties": {
        **_APPLICATION_PROPERTIES,
        "deadlines": ref("DeadlinesDetail"),
        "timeline": {"type": "array", "items": ref("TimelineEntry"), "description": "办理记录"},
    },
    "required": [*_APPLICATION_PROPERTIES, "timeline"],
}
APPLICATION_LIST = {
    "type": "object",
    "description": "一页申请，按收到申请之日倒序、内部编号倒序",
    "properties": {
        "results": {"type": "array", "items": ref("Application")},
        "next_cursor": {
            "type": ["string", "null"],
            "description": "下一页的游标，作为 cursor 参数传回；没有下一页时为 null",
        },
        "limit": {"type": "integer", "description": "本页的最大条数"},
    },
    "required": ["results", "next_cursor", "limit"],
}

# ---------------------------------------------------------------- examples

_APPLICANT_EXAMPLE = {
    "type": "natural",
    "type_label": "自然人",
    "name": "张三",
    "id_type": "resident_id",
    "id_type_label": "居民身份证",
    "id_number_masked": "1101**********002X",
    "phone": "138****0000",
    "address": "",
    "postcode": "",
    "email": "",
}
_DEADLINES_EXAMPLE = {
    "receipt_date": "2025-03-03",
    "clock_start": "2025-03-03",
    "correction_notice_due": "2025-03-12",
    "reply_due": "2025-03-31",
    "extended_reply_due": None,
    "current_due": "2025-03-31",
    "fee_payment_due": None,
    "third_party_answer_due": None,
    "remaining_working_days": 15,
    "overdue": False,
    "provisional": False,
    "clock_status": "running",
    "clock_status_label": "计时中",
}
APPLICATION_EXAMPLE = {
    "id": 1,
    "tracking_no": "WCBGS-2025-0001",
    "org": "WCBGS",
    "org_name": "宛城区人民政府办公室",
    "status": "registered",
    "status_label": "已登记",
    "applicant": _APPLICANT_EXAMPLE,
    "channel": "online",
    "channel_label": "互联网渠道",
    "received_on": "2025-03-03",
    "content": "请公开2024年某项目的批复文件",
    "purpose": "",
    "form": "electronic",
    "delivery": "email",
    "outcome": None,
    "outcome_label": None,
    "legal_basis": None,
    "concluded_on": None,
    "archived_on": None,
    "extended": False,
    "deadlines": _DEADLINES_EXAMPLE,
    "allowed_actions": [
        "request_correction",
        "start_consultation",
        "notify_fee",
        "propose_reply",
        "withdraw",
    ],
}
DETAIL_EXAMPLE = {
    **APPLICATION_EXAMPLE,
    "deadlines": {
        **_DEADLINES_EXAMPLE,
        "trail": [
            {
                "date": "2025-03-03",
                "reason": "收到申请（互联网渠道，以双方确认之日为收到申请之日，"
                "第三十一条），当日不计入，次日起算",
            },
            {"date": "2025-03-08", "reason": "周末"},
            {"date": "2025-03-31", "reason": "答复期限（第三十三条第二款，20个工作日）"},
        ],
    },
    "timeline": [
        {
            "id": 1,
            "action": "register",
            "action_label": "登记",
            "date": "2025-03-03",
            "actor": "clerk",
            "note": "登记（互联网渠道）",
            "data": {"channel": "online"},
        },
    ],
}
LIST_EXAMPLE = {"results": [APPLICATION_EXAMPLE], "next_cursor": "MjAyNS0wMy0wMy4x", "limit": 1}


UNAUTHORIZED = error("未提供令牌或令牌无效", "API 令牌无效或已停用")
NOT_FOUND = error("没有这件申请，或不属于调用者可查看的机构", "没有找到这件申请")
BAD_JSON = error("请求体不是 JSON 对象", "请求体不是有效的 JSON（第1行第17列）")

IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "幂等键：1到200个可打印 ASCII 字符（如 UUID）。同一用户以同一幂等键重试时，"
    "不再登记，返回首次登记的申请（201，响应头 Idempotent-Replayed: true）；同一幂等键配不同的"
    "请求体返回 422。幂等键保存24小时（GONGKAI_IDEMPOTENCY_HOURS）",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}

REVEAL_PARAMETER = {
    "name": "reveal",
    "in": "query",
    "required": False,
    "description": "1：返回完整的证件号码（id_number）和联系电话（phone）。仅限在受理机关担任"
    "经办人、审核人或管理员的调用者，每次均记入审计日志；监督角色返回 403",
    "schema": {"type": "string", "enum": ["0", "1"], "default": "0"},
}

ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "申请的内部编号（响应中的 id）",
    "schema": {"type": "integer"},
}


def _choice_parameter(name: str, description: str, values: Sequence[str]) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "description": description + "；可重复或用英文逗号分隔多个值",
        "schema": {"type": "array", "items": {"type": "string", "enum": list(values)}},
    }


def _query(name: str, description: str, schema: Schema) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


LIST_PARAMETERS = [
    _choice_parameter("status", "办理状态", [s.value for s in Status]),
    _choice_parameter("outcome", "答复类型", [o.key for o in outcomes()]),
    _choice_parameter("applicant_type", "申请人类型", [t.value for t in ApplicantType]),
    _choice_parameter("channel", "申请方式", [c.value for c in Channel]),
    _query("received_from", "收到申请之日不早于（含）", {"type": "string", "format": "date"}),
    _query("received_to", "收到申请之日不晚于（含）", {"type": "string", "format": "date"}),
    _query(
        "q",
        "关键词：申请编号的开头，或申请人、申请内容中的文字",
        {"type": "string", "maxLength": MAX_QUERY},
    ),
    _query("org", "受理机关的机构代码（须为调用者可查看的机构）", {"type": "string"}),
    _query(
        "limit",
        f"每页条数，缺省 {DEFAULT_LIMIT}",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    _query("cursor", "上一页返回的 next_cursor（不透明字符串）", {"type": "string"}),
]


def application_paths() -> Schema:
    """The application operations, for the document's `paths`."""
    actions_examples = {a.value: {"summary": a.label, "value": action_example(a)} for a in Action}
    actions_examples |= {
        c.value: {"summary": c.label, "value": record_change_example(c)} for c in RecordChange
    }
    return {
        "/api/applications": {
            "get": {
                "operationId": "listApplications",
                "summary": "申请台账",
                "description": "调用者可查看的机构的申请，可按台账的条件筛选；按收到申请之日倒序，"
                "用游标分页（next_cursor），数据量大时翻页速度不变。列表不含期限计算过程和办理记录。",
                "parameters": LIST_PARAMETERS,
                "responses": {
                    "200": {
                        "description": "一页申请",
                        **json_content(ref("ApplicationList"), LIST_EXAMPLE),
                    },
                    "401": UNAUTHORIZED,
                    "403": error(
                        "调用者无权查看 org 指定的机构", "您无权查看宛城区财政局的申请", "org"
                    ),
                    "422": error(
                        "查询参数无效", "status 无效：open（可选：registered、…）", "status"
                    ),
                },
            },
            "post": {
                "operationId": "registerApplication",
                "summary": "登记申请",
                "description": "登记一件政府信息公开申请（条例第二十九条、第三十一条），分配申请编号并"
                "计算补正告知期限和答复期限。调用者须在受理机关担任经办人、审核人或管理员。"
                "省级平台推送申请即调用本接口。超时后重试请带同一 Idempotency-Key，以免重复登记。",
                "parameters": [IDEMPOTENCY_KEY_PARAMETER],
                "requestBody": {
                    "required": True,
                    **json_content(ref("RegistrationInput"), example_of(REGISTRATION_INPUT)),
                },
                "responses": {
                    "201": {
                        "description": "已登记（或以同一幂等键重试：首次登记的申请）；Location 头为"
                        "申请的地址",
                        "headers": {
                            "Location": {
                                "schema": {"type": "string"},
                                "description": "/api/applications/{id}",
                            },
                            "Idempotent-Replayed": {
                                "schema": {"type": "string", "enum": ["true"]},
                                "description": "仅在以同一幂等键重试、返回首次登记结果时出现",
                            },
                        },
                        **json_content(ref("ApplicationDetail"), DETAIL_EXAMPLE),
                    },
                    "400": error(
                        "请求体不是 JSON 对象，或 Idempotency-Key 格式无效",
                        "请求体不是有效的 JSON（第1行第17列）",
                    ),
                    "401": UNAUTHORIZED,
                    "403": error(
                        "调用者在该机构没有登记权限", "您在宛城区财政局没有登记申请的权限"
                    ),
                    "422": error(
                        "字段缺失、类型错误或内容无效；field 指出字段",
                        "居民身份证号码校验位错误（最后一位应为X），请核对",
                        "applicant.id_number",
                    ),
                },
            },
        },
        "/api/applications/{id}": {
            "get": {
                "operationId": "getApplication",
                "summary": "申请详情",
                "description": "办理状态、法定期限及其计算过程、办理记录，以及调用者现在可以执行的操作。"
                "证件号码和联系电话为脱敏值，reveal=1 时为完整值。",
                "parameters": [ID_PARAMETER, REVEAL_PARAMETER],
                "responses": {
                    "200": {
                        "description": "申请详情",
                        **json_content(ref("ApplicationDetail"), DETAIL_EXAMPLE),
                    },
                    "401": UNAUTHORIZED,
                    "403": error(
                        "reveal=1，但调用者不是受理机关的经办人、审核人或管理员",
                        "只有本机关的经办人、审核人或管理员可以查看完整的证件号码和联系电话",
                        "reveal",
                    ),
                    "404": NOT_FOUND,
                    "422": error("查询参数无效", "reveal 应为 0 或 1", "reveal"),
                },
            },
        },
        "/api/applications/{id}/actions": {
            "post": {
                "operationId": "applyAction",
                "summary": "办理一步",
                "description": "执行办理流程中的一步（补正、征求意见、延期、收费、答复、送达、归档、撤回等）。"
                "每种操作的字段见请求体的各个变体；多余的字段一律拒绝。办理日期不得晚于今天，也不得"
                "早于上一步。当前状态下不能执行该操作时返回 409；调用者的角色不能执行时返回 403"
                "（如延期和答复须由审核人或管理员办理）。",
                "parameters": [ID_PARAMETER],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": ref("ActionInput"),
                            "examples": actions_examples,
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "办理后的申请详情",
                        **json_content(ref("ApplicationDetail")),
                    },
                    "400": BAD_JSON,
                    "401": UNAUTHORIZED,
                    "403": error(
                        "调用者的角色不能执行该操作", "“审核通过并答复”须由审核人、管理员办理"
                    ),
                    "404": NOT_FOUND,
                    "409": error("当前状态下不能执行该操作", "当前状态为“已归档”，不能执行“送达”"),
                    "422": error(
                        "字段缺失、类型错误或内容无效；field 指出字段",
                        "缺少必填字段：date（办理日期（不得晚于今天，不得早于上一步））",
                        "date",
                    ),
                },
            },
        },
    }


def application_schemas() -> Schema:
    """The application schemas, for the document's `components.schemas`."""
    return {
        "Error": ERROR,
        "RegistrationInput": {
            **object_schema(REGISTRATION_INPUT),
            "description": "登记申请的请求体",
        },
        "ActionInput": {
            "description": "办理一步的请求体；action 决定其余字段",
            "oneOf": [ref(f"Action_{name}") for name in STEPS],
            "discriminator": {
                "propertyName": "action",
                "mapping": {name: REF + f"Action_{name}" for name in STEPS},
            },
        },
        **{f"Action_{a.value}": action_schema(a) for a in Action},
        **{f"Action_{c.value}": record_change_schema(c) for c in RecordChange},
        "Applicant": APPLICANT,
        "Deadlines": DEADLINES,
        "DeadlinesDetail": DEADLINES_DETAIL,
        "TimelineEntry": TIMELINE_ENTRY,
        "Application": APPLICATION,
        "ApplicationDetail": APPLICATION_DETAIL,
        "ApplicationList": APPLICATION_LIST,
    }
