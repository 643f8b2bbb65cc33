"""The typed shapes of the annual report in the JSON API (gongkai.reports.api), from which
django-ninja builds its part of the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field

from gongkai.accounts.models import Organisation
from gongkai.cases.api_types import Output
from gongkai.domain.report.findings import Severity
from gongkai.domain.report.schema import FormatVersion
from gongkai.reports.selectors import ReportState
from gongkai.reports.services import PUBLISHED_FORMATS

_TABLE = "：行的键 → 各列的数字（空白或占位的单元格为 null）；文件中没有该表时为 null"
Table = dict[str, Any] | None


def _labels(choices: Any) -> str:
    return "、".join(f"{value} {label}" for value, label in choices)


class ReportTables(Output):
    """统计表"""

    t2: Table = Field(description="表二 主动公开政府信息情况" + _TABLE)
    t3: Table = Field(description="表三 收到和处理政府信息公开申请情况" + _TABLE)
    t4: Table = Field(description="表四 政府信息公开行政复议、行政诉讼情况" + _TABLE)


class ReportData(Output):
    """年度报告的内容，与 `gongkai check --json`、`gongkai render --to .json` 相同
    （docs/report-json.md，JSON Schema 见 docs/report.schema.json）"""

    format: Literal[tuple(f.value for f in FormatVersion)] = Field(  # type: ignore[valid-type]
        description="表格格式（2021 即国办公开办函〔2021〕30号）"
    )
    agency: str | None = Field(description="发布机关")
    year: int | None = Field(description="报告年度")
    title: str | None = Field(description="标题")
    period: list[int] | None = Field(description="统计期间起止年份")
    tables: ReportTables
    placeholders: dict[str, Any] = Field(
        description="占位单元格的原文（如“/”），键如 t3.r_open.other_org"
    )
    invalid: dict[str, Any] = Field(description="不是数字的单元格的原文")
    printed: dict[str, Any] = Field(description="写法与数字不同的单元格的原文（如“1,036”）")
    unreadable: dict[str, Any] = Field(
        default_factory=dict, description="无法确定的单元格的识别原文（不参与勾稽校验，规则S-11）"
    )
    confidence: dict[str, Any] = Field(
        default_factory=dict, description="扫描件OCR识别的单元格置信度（0至1）"
    )
    missing_rows: list[str] = Field(description="表中缺少的行，如 t3.carry_out")
    preamble: str = Field(description="第一部分之前的文字")
    sections: list[dict[str, Any]] = Field(
        description="正文各部分：number（1—6，其他标题为 null）、heading、text、subsections"
    )
    extra_rows: list[dict[str, Any]] = Field(description="模板以外的表格行")
    notes: list[str] = Field(description="生成或读取时的说明")
    source_kind: str = Field(
        description="来源：records（由申请台账和登记簿生成）、docx、pdf、json 等"
    )


class Finding(Output):
    """检查发现的一个问题"""

    rule: str = Field(description="规则编号，如 S-05、P-01（docs/rules.md）")
    severity: Literal[tuple(s.value for s in Severity)] = Field(  # type: ignore[valid-type]
        description="严重程度：" + _labels((s.value, s.label) for s in Severity)
    )
    where: str = Field(description="位置：表、行、列的键（如 t3.r_open.other_org）或部分（如 s5）")
    message: str = Field(description="中文说明")


class ReportCheck(Output):
    """发布前检查（与报告页面相同）：按今天发布计算是否逾期"""

    findings: list[Finding] = Field(description="全部检查结果")
    blocking: list[str] = Field(description="阻止发布的规则编号（错误；逾期不阻止发布）")
    to_acknowledge: list[str] = Field(description="发布时须确认知悉的规则编号（警告和逾期）")


class ReportFile(Output):
    """已发布版本的一个文件"""

    format: Literal[PUBLISHED_FORMATS] = Field(description="格式")  # type: ignore[valid-type]
    sha256: str = Field(description="文件的 SHA-256（十六进制）")
    size: int = Field(description="大小（字节）")
    url: str = Field(
        description="下载地址（/api/reports/{code}/{year}/versions/{number}.{format}，须带令牌）"
    )


class ReportVersion(Output):
    """已发布的版本，发布后不再改变；更正即发布新版本"""

    number: int = Field(description="版本号，从1起")
    published_on: dt.date = Field(description="发布日期")
    sha256: str = Field(description="报告数据的 SHA-256")
    change_note: str = Field(description="更正说明，第1版为空")
    files: list[ReportFile] = Field(description="文件")


class Publisher(Output):
    """发布机关"""

    code: str = Field(description="机构代码")
    name: str = Field(description="机构名称")
    kind: Literal[tuple(Organisation.Kind.values)] = Field(  # type: ignore[valid-type]
        description="机构类型：" + _labels(Organisation.Kind.choices)
    )


class AnnualReport(Output):
    """一个机构一个年度的政府信息公开工作年度报告：按当前记录生成的内容、检查结果和已发布版本"""

    model_config = ConfigDict(extra="forbid")

    organisation: Publisher
    year: int = Field(description="报告年度")
    state: Literal[tuple(ReportState.values)] = Field(  # type: ignore[valid-type]
        description="报告状态：" + _labels(ReportState.choices)
    )
    state_label: str = Field(description="报告状态名称")
    deadline: dt.date = Field(
        description="发布期限（条例第四十九条：部门1月31日，政府3月31日；乡镇按本地规定）"
    )
    timing: str = Field(
        description="与期限相比：剩余N天、今日截止、逾期N天；已发布时为按时发布或逾期N天发布"
    )
    report: ReportData
    check: ReportCheck
    versions: list[ReportVersion] = Field(description="已发布的版本，新版本在前；未发布时为空")
