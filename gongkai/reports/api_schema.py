"""The annual report's part of the OpenAPI document: the schemas and operations of
gongkai.reports.api, merged into the document by gongkai.api.schema."""

from __future__ import annotations

from gongkai.accounts.models import Organisation
from gongkai.cases.api_schema_base import (
    Schema,
    date,
    enum_text,
    error,
    json_content,
    path_parameter,
    ref,
    string,
)
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.schema import FormatVersion
from gongkai.pdf import CONTENT_TYPES
from gongkai.reports.checks import FIRST_YEAR
from gongkai.reports.selectors import ReportState
from gongkai.reports.services import PUBLISHED_FORMATS

# ---------------------------------------------------------------- the annual report

_TABLE_TEXT = "：行的键 → 各列的数字（空白或占位的单元格为 null）；文件中没有该表时为 null"
_REPORT_DATA_PROPERTIES: Schema = {
    "format": string(
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
    "preamble": string("第一部分之前的文字"),
    "sections": {
        "type": "array",
        "items": {"type": "object"},
        "description": "正文各部分：number（1—6，其他标题为 null）、heading、text、subsections",
    },
    "extra_rows": {"type": "array", "items": {"type": "object"}, "description": "模板以外的表格行"},
    "notes": {"type": "array", "items": {"type": "string"}, "description": "生成或读取时的说明"},
    "source_kind": string("来源：records（由申请台账和登记簿生成）、docx、pdf、json 等"),
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
        "rule": string("规则编号，如 S-05、P-01（docs/rules.md）"),
        "severity": string(
            "严重程度：" + enum_text([(s.value, s.label) for s in Severity]),
            enum=[s.value for s in Severity],
        ),
        "where": string("位置：表、行、列的键（如 t3.r_open.other_org）或部分（如 s5）"),
        "message": string("中文说明"),
    },
    "required": ["rule", "severity", "where", "message"],
}
REPORT_CHECK = {
    "type": "object",
    "description": "发布前检查（与报告页面相同）：按今天发布计算是否逾期",
    "properties": {
        "findings": {"type": "array", "items": ref("Finding"), "description": "全部检查结果"},
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
        "format": string("格式", enum=sorted(PUBLISHED_FORMATS)),
        "sha256": string("文件的 SHA-256（十六进制）"),
        "size": {"type": "integer", "description": "大小（字节）"},
        "url": string(
            "下载地址（/api/reports/{code}/{year}/versions/{number}.{format}，须带令牌）"
        ),
    },
    "required": ["format", "sha256", "size", "url"],
}
REPORT_VERSION = {
    "type": "object",
    "description": "已发布的版本，发布后不再改变；更正即发布新版本",
    "properties": {
        "number": {"type": "integer", "description": "版本号，从1起"},
        "published_on": date("发布日期"),
        "sha256": string("报告数据的 SHA-256"),
        "change_note": string("更正说明，第1版为空"),
        "files": {"type": "array", "items": ref("ReportFile"), "description": "文件"},
    },
    "required": ["number", "published_on", "sha256", "change_note", "files"],
}
_REPORT_PROPERTIES: Schema = {
    "organisation": {
        "type": "object",
        "description": "发布机关",
        "properties": {
            "code": string("机构代码"),
            "name": string("机构名称"),
            "kind": string(
                "机构类型：" + enum_text(Organisation.Kind.choices),
                enum=list(Organisation.Kind.values),
            ),
        },
        "required": ["code", "name", "kind"],
    },
    "year": {"type": "integer", "description": "报告年度"},
    "state": string("报告状态：" + enum_text(ReportState.choices), enum=list(ReportState.values)),
    "state_label": string("报告状态名称"),
    "deadline": date("发布期限（条例第四十九条：部门1月31日，政府3月31日；乡镇按本地规定）"),
    "timing": string("与期限相比：剩余N天、今日截止、逾期N天；已发布时为按时发布或逾期N天发布"),
    "report": ref("ReportData"),
    "check": ref("ReportCheck"),
    "versions": {
        "type": "array",
        "items": ref("ReportVersion"),
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


REPORT_NOT_FOUND = error(
    f"没有这个机构，或不属于调用者可查看的机构；或年度不在{FIRST_YEAR}年至今年之间",
    "没有找到这个机构",
)


REPORT_PARAMETERS = [
    path_parameter("code", "机构代码（须为调用者可查看的机构），如 WCBGS", {"type": "string"}),
    path_parameter(
        "year", f"报告年度，{FIRST_YEAR}年至今年", {"type": "integer", "minimum": FIRST_YEAR}
    ),
]
FILE_PARAMETERS = [
    *REPORT_PARAMETERS,
    path_parameter("number", "版本号", {"type": "integer", "minimum": 1}),
    path_parameter(
        "format",
        "文件格式：" + "、".join(sorted(PUBLISHED_FORMATS)),
        {"type": "string", "enum": sorted(PUBLISHED_FORMATS)},
    ),
]


def _file_content(fmt: str) -> tuple[str, Schema]:
    """The media type of a published file; the .json file is the version's report data."""
    media = CONTENT_TYPES[fmt].partition(";")[0]
    return media, ref("ReportData") if fmt == "json" else {"type": "string", "format": "binary"}


def report_paths(unauthorized: Schema) -> Schema:
    """The report operations, for the document's `paths`."""
    return {
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
                        **json_content(ref("AnnualReport"), REPORT_EXAMPLE),
                    },
                    "401": unauthorized,
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
                    "401": unauthorized,
                    "404": error(
                        "没有这个机构、年度、版本或格式的文件",
                        "没有找到第2版的 pdf 文件",
                    ),
                },
            },
        },
    }


REPORT_SCHEMAS: Schema = {
    "AnnualReport": ANNUAL_REPORT,
    "ReportData": REPORT_DATA,
    "ReportCheck": REPORT_CHECK,
    "Finding": FINDING,
    "ReportVersion": REPORT_VERSION,
    "ReportFile": REPORT_FILE,
}
