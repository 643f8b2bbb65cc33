"""The OpenAPI 3.1 document of the JSON API, as data, and the context of its HTML page.

Request schemas are generated from the field tables the API itself checks (`api_io`), so the two
cannot drift; response schemas are written out here and checked against real responses by
tests/api/test_openapi.py, which also fails on a route of `api_urls` that is not documented.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from functools import cache
from typing import Any

from gongkai.accounts.models import Organisation
from gongkai.cases.api_io import (
    ACTION_FIELD,
    ACTION_FIELDS,
    DATE_FIELD,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY,
    REGISTRATION_FIELDS,
    Field,
)
from gongkai.cases.models import Delivery, Form
from gongkai.domain.deadline_model import Channel, ClockStatus
from gongkai.domain.identity import IdType
from gongkai.domain.lifecycle import TRANSITIONS, Action, ApplicantType, Role, Status, outcomes
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.schema import FormatVersion
from gongkai.pdf import CONTENT_TYPES
from gongkai.reports.checks import FIRST_YEAR
from gongkai.reports.selectors import ReportState
from gongkai.reports.services import PUBLISHED_FORMATS

Schema = dict[str, Any]

REF = "#/components/schemas/"


def _ref(name: str) -> Schema:
    return {"$ref": REF + name}


def _nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


def _str(description: str, **extra: Any) -> Schema:
    return {"type": "string", "description": description, **extra}


def _date(description: str) -> Schema:
    return {"type": "string", "format": "date", "description": description}


def _enum_text(pairs: Sequence[tuple[str, str]]) -> str:
    return "；".join(f"{value} {label}" for value, label in pairs)


# ---------------------------------------------------------------- requests, from api_io


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
        if f.type == "object":
            body[f.name] = example_of(f.fields)
        elif f.example is not None:
            body[f.name] = f.example
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


# ---------------------------------------------------------------- responses

ERROR = {
    "type": "object",
    "description": "错误。field 指出出错的字段（如 applicant.id_number、date），无法指出时为 null",
    "properties": {
        "error": _str("中文错误说明，可直接展示给用户"),
        "field": {"type": ["string", "null"], "description": "出错的字段名"},
    },
    "required": ["error", "field"],
}

APPLICANT = {
    "type": "object",
    "description": "申请人。证件号码在所有响应中均只显示前4位和后4位",
    "properties": {
        "type": _str("申请人类型：" + _enum_text([(t.value, t.label) for t in ApplicantType])),
        "type_label": _str("申请人类型名称"),
        "name": _str("姓名或名称"),
        "id_type": _str("证件类型：" + _enum_text([(t.value, t.label) for t in IdType])),
        "id_type_label": _str("证件类型名称"),
        "id_number_masked": _str("打码的证件号码，如 1101**********002X"),
        "phone": _str("联系电话"),
        "address": _str("通讯地址"),
        "postcode": _str("邮政编码"),
        "email": _str("电子邮箱"),
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
    "receipt_date": _date("收到申请之日"),
    "clock_start": _date("计算期限的起点（收到补正后的申请之日，或非工作日收到时的下一个工作日）"),
    "correction_notice_due": _date("补正告知期限（条例第三十条，7个工作日）"),
    "reply_due": _nullable(_date("答复期限（条例第三十三条，20个工作日，扣除不计入的期间）")),
    "extended_reply_due": _nullable(_date("延长后的答复期限，未延期为 null")),
    "current_due": _nullable(
        _date("当前适用的答复期限：已延期时为延长后的期限；等待补正时为 null")
    ),
    "fee_payment_due": _nullable(_date("缴费期限（国办函〔2020〕109号，20个工作日）")),
    "third_party_answer_due": _nullable(_date("被征求意见方答复期限（15个工作日）")),
    "remaining_working_days": {
        "type": ["integer", "null"],
        "description": "距答复期限剩余的工作日数，逾期为负数；暂停或等待补正时为 null",
    },
    "overdue": {"type": ["boolean", "null"], "description": "是否已逾期"},
    "provisional": {
        "type": "boolean",
        "description": "期间涉及尚未公布放假安排的年份，期限为暂定",
    },
    "clock_status": _str(
        "计时状态：" + _enum_text([(s.value, s.label) for s in ClockStatus]),
        enum=[s.value for s in ClockStatus],
    ),
    "clock_status_label": _str("计时状态名称"),
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
                "properties": {"date": _date("日期"), "reason": _str("说明")},
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
        "action": _str("register（登记）或操作名"),
        "action_label": _str("操作名称"),
        "date": _date("办理日期"),
        "actor": {"type": ["string", "null"], "description": "办理人用户名"},
        "note": _str("说明"),
        "data": {"type": "object", "description": "操作的具体内容，如补正事项、收费金额、答复类型"},
    },
    "required": ["id", "action", "action_label", "date", "actor", "note", "data"],
}

_STATUS_TEXT = _enum_text([(s.value, s.label) for s in Status])
_APPLICATION_PROPERTIES: Schema = {
    "id": {"type": "integer", "description": "申请的内部编号，用于本 API 的路径"},
    "tracking_no": _str("申请编号，如 WCBGS-2025-0001"),
    "org": _str("受理机关的机构代码"),
    "org_name": _str("受理机关名称"),
    "status": _str("办理状态：" + _STATUS_TEXT, enum=[s.value for s in Status]),
    "status_label": _str("办理状态名称"),
    "applicant": _ref("Applicant"),
    "channel": _str("申请方式：" + _enum_text([(c.value, c.label) for c in Channel])),
    "channel_label": _str("申请方式名称"),
    "received_on": _date("收到申请之日"),
    "content": _str("申请公开的内容"),
    "purpose": _str("用途说明"),
    "form": _str("载体形式：" + _enum_text(Form.choices)),
    "delivery": _str("获取方式：" + _enum_text(Delivery.choices)),
    "outcome": {
        "type": ["string", "null"],
        "description": "答复类型（年报表三的行），未办结为 null",
        "enum": [*(o.key for o in outcomes()), None],
    },
    "outcome_label": {"type": ["string", "null"], "description": "答复类型名称"},
    "legal_basis": {"type": ["string", "null"], "description": "法律依据"},
    "concluded_on": _nullable(_date("办结日期（答复或终止之日）")),
    "archived_on": _nullable(_date("归档日期")),
    "extended": {"type": "boolean", "description": "是否已延期"},
    "deadlines": _ref("Deadlines"),
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
        "deadlines": _ref("DeadlinesDetail"),
        "timeline": {"type": "array", "items": _ref("TimelineEntry"), "description": "办理记录"},
    },
    "required": [*_APPLICATION_PROPERTIES, "timeline"],
}
APPLICATION_LIST = {
    "type": "object",
    "description": "一页申请，按收到申请之日倒序、内部编号倒序",
    "properties": {
        "results": {"type": "array", "items": _ref("Application")},
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
    "phone": "13800000000",
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


# ---------------------------------------------------------------- the annual report

_TABLE_TEXT = "：行的键 → 各列的数字（空白或占位的单元格为 null）；文件中没有该表时为 null"
_REPORT_DATA_PROPERTIES: Schema = {
    "format": _str(
        "表格格式（2021 即国办公开办函〔2021〕30号）", enum=[f.value for f in FormatVersion]
    ),
    "agency": {"type": ["string", "null"], "description": "发布机关"},
    "year": {"type": ["integer", "null"], "description": "报告年度"},
    "title": {"type": ["string", "null"], "description": "标题"},
    "period": {
        "type": ["array", "null"],
        "items": {"type": "integer"},
        "description": "统计期间起止年份",
    },
    "tables": {
        "type": "object",
        "description": "统计表",
        "properties": {
            "t2": {
                "type": ["object", "null"],
                "description": "表二 主动公开政府信息情况" + _TABLE_TEXT,
            },
            "t3": {
                "type": ["object", "null"],
                "description": "表三 收到和处理政府信息公开申请情况" + _TABLE_TEXT,
            },
            "t4": {
                "type": ["object", "null"],
                "description": "表四 政府信息公开行政复议、行政诉讼情况" + _TABLE_TEXT,
            },
        },
        "required": ["t2", "t3", "t4"],
    },
    "placeholders": {
        "type": "object",
        "description": "占位单元格的原文（如“/”），键如 t3.r_open.other_org",
    },
    "invalid": {"type": "object", "description": "不是数字的单元格的原文"},
    "printed": {"type": "object", "description": "写法与数字不同的单元格的原文（如“1,036”）"},
    "missing_rows": {
        "type": "array",
        "items": {"type": "string"},
        "description": "表中缺少的行，如 t3.carry_out",
    },
    "preamble": _str("第一部分之前的文字"),
    "sections": {
        "type": "array",
        "items": {"type": "object"},
        "description": "正文各部分：number（1—6，其他标题为 null）、heading、text、subsections",
    },
    "extra_rows": {"type": "array", "items": {"type": "object"}, "description": "模板以外的表格行"},
    "notes": {"type": "array", "items": {"type": "string"}, "description": "生成或读取时的说明"},
    "source_kind": _str("来源：records（由申请台账和登记簿生成）、docx、pdf、json 等"),
}
REPORT_DATA = {
    "type": "object",
    "description": "年度报告的内容，与 `gongkai check --json`、`gongkai render --to .json` 相同"
    "（docs/report-json.md，JSON Schema 见 docs/report.schema.json）",
    "properties": _REPORT_DATA_PROPERTIES,
    "required": list(_REPORT_DATA_PROPERTIES),
}
FINDING = {
    "type": "object",
    "description": "检查发现的一个问题",
    "properties": {
        "rule": _str("规则编号，如 S-05、P-01（docs/rules.md）"),
        "severity": _str(
            "严重程度：" + _enum_text([(s.value, s.label) for s in Severity]),
            enum=[s.value for s in Severity],
        ),
        "where": _str("位置：表、行、列的键（如 t3.r_open.other_org）或部分（如 s5）"),
        "message": _str("中文说明"),
    },
    "required": ["rule", "severity", "where", "message"],
}
REPORT_CHECK = {
    "type": "object",
    "description": "发布前检查（与报告页面相同）：按今天发布计算是否逾期",
    "properties": {
        "findings": {"type": "array", "items": _ref("Finding"), "description": "全部检查结果"},
        "blocking": {
            "type": "array",
            "items": {"type": "string"},
            "description": "阻止发布的规则编号（错误；逾期不阻止发布）",
        },
        "to_acknowledge": {
            "type": "array",
            "items": {"type": "string"},
            "description": "发布时须确认知悉的规则编号（警告和逾期）",
        },
    },
    "required": ["findings", "blocking", "to_acknowledge"],
}
REPORT_FILE = {
    "type": "object",
    "description": "已发布版本的一个文件",
    "properties": {
        "format": _str("格式", enum=sorted(PUBLISHED_FORMATS)),
        "sha256": _str("文件的 SHA-256（十六进制）"),
        "size": {"type": "integer", "description": "大小（字节）"},
        "url": _str("下载地址（/api/reports/{code}/{year}/versions/{number}.{format}，须带令牌）"),
    },
    "required": ["format", "sha256", "size", "url"],
}
REPORT_VERSION = {
    "type": "object",
    "description": "已发布的版本，发布后不再改变；更正即发布新版本",
    "properties": {
        "number": {"type": "integer", "description": "版本号，从1起"},
        "published_on": _date("发布日期"),
        "sha256": _str("报告数据的 SHA-256"),
        "change_note": _str("更正说明，第1版为空"),
        "files": {"type": "array", "items": _ref("ReportFile"), "description": "文件"},
    },
    "required": ["number", "published_on", "sha256", "change_note", "files"],
}
_REPORT_PROPERTIES: Schema = {
    "organisation": {
        "type": "object",
        "description": "发布机关",
        "properties": {
            "code": _str("机构代码"),
            "name": _str("机构名称"),
            "kind": _str(
                "机构类型：" + _enum_text(Organisation.Kind.choices),
                enum=list(Organisation.Kind.values),
            ),
        },
        "required": ["code", "name", "kind"],
    },
    "year": {"type": "integer", "description": "报告年度"},
    "state": _str("报告状态：" + _enum_text(ReportState.choices), enum=list(ReportState.values)),
    "state_label": _str("报告状态名称"),
    "deadline": _date("发布期限（条例第四十九条：部门1月31日，政府3月31日；乡镇按本地规定）"),
    "timing": _str("与期限相比：剩余N天、今日截止、逾期N天；已发布时为按时发布或逾期N天发布"),
    "report": _ref("ReportData"),
    "check": _ref("ReportCheck"),
    "versions": {
        "type": "array",
        "items": _ref("ReportVersion"),
        "description": "已发布的版本，新版本在前；未发布时为空",
    },
}
ANNUAL_REPORT = {
    "type": "object",
    "description": "一个机构一个年度的政府信息公开工作年度报告：按当前记录生成的内容、检查结果和已发布版本",
    "properties": _REPORT_PROPERTIES,
    "required": list(_REPORT_PROPERTIES),
}

# Captured from GET /api/reports/WCBGS/2024 on the demo data (server date 2026-11-26) after the
# reviewer published, then shortened: docs/api.md has the longer capture.
REPORT_EXAMPLE = {
    "organisation": {"code": "WCBGS", "name": "宛城区人民政府办公室", "kind": "department"},
    "year": 2024,
    "state": "published",
    "state_label": "已发布",
    "deadline": "2025-01-31",
    "timing": "逾期664天发布",
    "report": {
        "format": "2021",
        "agency": "宛城区人民政府办公室",
        "year": 2024,
        "title": "宛城区人民政府办公室2024年政府信息公开工作年度报告",
        "period": [2024, 2024],
        "tables": {
            "t2": {"regulations": [0, 0, 0], "normative_documents": [10, 0, 27], "fees": 0},
            "t3": {
                "new": [33, 2, 0, 0, 0, 1, 36],
                "r_open": [20, 2, 0, 0, 0, 0, 22],
                "r_total": [33, 2, 0, 0, 0, 1, 36],
                "carry_out": [0, 0, 0, 0, 0, 0, 0],
            },
            "t4": {"review": [0, 0, 0, 0, 0]},
        },
        "placeholders": {},
        "invalid": {},
        "printed": {},
        "missing_rows": [],
        "preamble": "根据《中华人民共和国政府信息公开条例》……编制本报告。",
        "sections": [
            {
                "number": 6,
                "heading": "六、其他需要报告的事项",
                "text": "2024年度，未收取政府信息公开信息处理费。本年度无其他需要报告的事项。",
                "subsections": [],
            }
        ],
        "extra_rows": [],
        "notes": [],
        "source_kind": "records",
    },
    "check": {
        "findings": [
            {
                "rule": "P-01",
                "severity": "error",
                "where": "publication",
                "message": "发布日期2026-11-26晚于截止日期2025-01-31（逾期664天）",
            }
        ],
        "blocking": [],
        "to_acknowledge": ["P-01"],
    },
    "versions": [
        {
            "number": 1,
            "published_on": "2026-11-26",
            "sha256": "47413eb1abe68df4c2f0eff3a8a4d393f9844623b52d3efe41a4915ded261c46",
            "change_note": "",
            "files": [
                {
                    "format": "pdf",
                    "sha256": "c371117478baac3ee91aca5c76d3a8690d5553f196354ee5e934778fc00de290",
                    "size": 235032,
                    "url": "/api/reports/WCBGS/2024/versions/1.pdf",
                }
            ],
        }
    ],
}


def _error_example(message: str, field: str | None = None) -> Schema:
    return {"error": message, "field": field}


# ---------------------------------------------------------------- paths


def _json(schema: Schema, example: Any = None, **more: Any) -> Schema:
    content: Schema = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"content": {"application/json": content}, **more}


def _error(description: str, message: str, field: str | None = None) -> Schema:
    return {"description": description, **_json(_ref("Error"), _error_example(message, field))}


UNAUTHORIZED = _error("未提供令牌或令牌无效", "API 令牌无效或已停用")
NOT_FOUND = _error("没有这件申请，或不属于调用者可查看的机构", "没有找到这件申请")
BAD_JSON = _error("请求体不是 JSON 对象", "请求体不是有效的 JSON（第1行第17列）")

REPORT_NOT_FOUND = _error(
    f"没有这个机构，或不属于调用者可查看的机构；或年度不在{FIRST_YEAR}年至今年之间",
    "没有找到这个机构",
)


def _path_parameter(name: str, description: str, schema: Schema) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


REPORT_PARAMETERS = [
    _path_parameter("code", "机构代码（须为调用者可查看的机构），如 WCBGS", {"type": "string"}),
    _path_parameter(
        "year", f"报告年度，{FIRST_YEAR}年至今年", {"type": "integer", "minimum": FIRST_YEAR}
    ),
]
FILE_PARAMETERS = [
    *REPORT_PARAMETERS,
    _path_parameter("number", "版本号", {"type": "integer", "minimum": 1}),
    _path_parameter(
        "format",
        "文件格式：" + "、".join(sorted(PUBLISHED_FORMATS)),
        {"type": "string", "enum": sorted(PUBLISHED_FORMATS)},
    ),
]


def _file_content(fmt: str) -> tuple[str, Schema]:
    """The media type of a published file; the .json file is the version's report data."""
    media = CONTENT_TYPES[fmt].partition(";")[0]
    return media, _ref("ReportData") if fmt == "json" else {"type": "string", "format": "binary"}


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


def _paths() -> Schema:
    actions_examples = {a.value: {"summary": a.label, "value": action_example(a)} for a in Action}
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
                        **_json(_ref("ApplicationList"), LIST_EXAMPLE),
                    },
                    "401": UNAUTHORIZED,
                    "403": _error(
                        "调用者无权查看 org 指定的机构", "您无权查看宛城区财政局的申请", "org"
                    ),
                    "422": _error(
                        "查询参数无效", "status 无效：open（可选：registered、…）", "status"
                    ),
                },
            },
            "post": {
                "operationId": "registerApplication",
                "summary": "登记申请",
                "description": "登记一件政府信息公开申请（条例第二十九条、第三十一条），分配申请编号并"
                "计算补正告知期限和答复期限。调用者须在受理机关担任经办人、审核人或管理员。"
                "省级平台推送申请即调用本接口。",
                "requestBody": {
                    "required": True,
                    **_json(_ref("RegistrationInput"), example_of(REGISTRATION_FIELDS)),
                },
                "responses": {
                    "201": {
                        "description": "已登记；Location 头为新申请的地址",
                        "headers": {
                            "Location": {
                                "schema": {"type": "string"},
                                "description": "/api/applications/{id}",
                            }
                        },
                        **_json(_ref("ApplicationDetail"), DETAIL_EXAMPLE),
                    },
                    "400": BAD_JSON,
                    "401": UNAUTHORIZED,
                    "403": _error(
                        "调用者在该机构没有登记权限", "您在宛城区财政局没有登记申请的权限"
                    ),
                    "422": _error(
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
                "description": "办理状态、法定期限及其计算过程、办理记录，以及调用者现在可以执行的操作。",
                "parameters": [ID_PARAMETER],
                "responses": {
                    "200": {
                        "description": "申请详情",
                        **_json(_ref("ApplicationDetail"), DETAIL_EXAMPLE),
                    },
                    "401": UNAUTHORIZED,
                    "404": NOT_FOUND,
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
                            "schema": _ref("ActionInput"),
                            "examples": actions_examples,
                        }
                    },
                },
                "responses": {
                    "200": {"description": "办理后的申请详情", **_json(_ref("ApplicationDetail"))},
                    "400": BAD_JSON,
                    "401": UNAUTHORIZED,
                    "403": _error(
                        "调用者的角色不能执行该操作", "“审核通过并答复”须由审核人、管理员办理"
                    ),
                    "404": NOT_FOUND,
                    "409": _error("当前状态下不能执行该操作", "当前状态为“已归档”，不能执行“送达”"),
                    "422": _error(
                        "字段缺失、类型错误或内容无效；field 指出字段",
                        "缺少必填字段：date（办理日期（不得晚于今天，不得早于上一步））",
                        "date",
                    ),
                },
            },
        },
        "/api/reports/{code}/{year}": {
            "get": {
                "operationId": "getAnnualReport",
                "summary": "年度报告",
                "description": "一个机构一个年度的政府信息公开工作年度报告：状态、发布期限、按当前记录生成的"
                "报告内容（表二至表四和正文）、发布前检查结果，以及已发布的各版本和文件。"
                "只读；发布仍在报告页面办理。",
                "parameters": REPORT_PARAMETERS,
                "responses": {
                    "200": {
                        "description": "年度报告",
                        **_json(_ref("AnnualReport"), REPORT_EXAMPLE),
                    },
                    "401": UNAUTHORIZED,
                    "404": REPORT_NOT_FOUND,
                },
            },
        },
        "/api/reports/{code}/{year}/versions/{number}.{format}": {
            "get": {
                "operationId": "getAnnualReportFile",
                "summary": "年度报告文件",
                "description": "已发布版本的一个文件，按发布时保存的原样返回，其 SHA-256 与年度报告中"
                "versions[].files[].sha256 相同。json 文件即该版本的报告内容（ReportData）。",
                "parameters": FILE_PARAMETERS,
                "responses": {
                    "200": {
                        "description": "文件（Content-Disposition: attachment）",
                        "content": {
                            media: {"schema": schema}
                            for media, schema in map(_file_content, sorted(PUBLISHED_FORMATS))
                        },
                    },
                    "401": UNAUTHORIZED,
                    "404": _error(
                        "没有这个机构、年度、版本或格式的文件",
                        "没有找到第2版的 pdf 文件",
                    ),
                },
            },
        },
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "OpenAPI 文档",
                "description": "本文档（OpenAPI 3.1，JSON）。无需令牌。",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 文档", **_json({"type": "object"})}},
            },
        },
        "/api/docs": {
            "get": {
                "operationId": "docs",
                "summary": "API 说明页",
                "description": "本文档的网页版。无需令牌。",
                "security": [],
                "responses": {
                    "200": {
                        "description": "HTML 页面",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    }
                },
            },
        },
    }


@cache
def _document() -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gongkai 依申请公开办理 API",
            "version": "1.1.0",
            "description": "政府信息公开工作平台的 JSON 接口：登记申请、查询台账和详情、办理各步骤，"
            "查询年度报告及其已发布的文件。"
            "认证方式：请求头 Authorization: Bearer <令牌>，令牌由管理员用 "
            "`gongkai manage create_api_token 用户名` 生成。错误响应均为 "
            '{"error": "中文说明", "field": "字段名或 null"}。日期均为 YYYY-MM-DD。',
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "gongkai manage create_api_token 生成的令牌",
                },
            },
            "schemas": {
                "Error": ERROR,
                "RegistrationInput": {
                    **object_schema(REGISTRATION_FIELDS),
                    "description": "登记申请的请求体",
                },
                "ActionInput": {
                    "description": "办理一步的请求体；action 决定其余字段",
                    "oneOf": [_ref(f"Action_{a.value}") for a in Action],
                    "discriminator": {
                        "propertyName": "action",
                        "mapping": {a.value: REF + f"Action_{a.value}" for a in Action},
                    },
                },
                **{f"Action_{a.value}": action_schema(a) for a in Action},
                "Applicant": APPLICANT,
                "Deadlines": DEADLINES,
                "DeadlinesDetail": DEADLINES_DETAIL,
                "TimelineEntry": TIMELINE_ENTRY,
                "Application": APPLICATION,
                "ApplicationDetail": APPLICATION_DETAIL,
                "ApplicationList": APPLICATION_LIST,
                "AnnualReport": ANNUAL_REPORT,
                "ReportData": REPORT_DATA,
                "ReportCheck": REPORT_CHECK,
                "Finding": FINDING,
                "ReportVersion": REPORT_VERSION,
                "ReportFile": REPORT_FILE,
            },
        },
    }


def openapi_document() -> Schema:
    """A fresh copy, so that no caller can change the cached document."""
    return copy.deepcopy(_document())
