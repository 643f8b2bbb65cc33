"""A pre-publish finding as the report screen shows it: its place in words and a link to where
the office fixes it (the narrative, a register, the records behind a cell), never a raw key."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.domain.report.findings import Finding
from gongkai.domain.report.places import describe_where
from gongkai.domain.report.schema import FormatVersion, layout

# Narrative places: edited on the narrative screen.
_NARRATIVE = ("title", "preamble", "report", "s1", "s5", "s6")
# Table 二's rows by the register that feeds them (gongkai.reports.build.table2).
_T2_REGISTERS = {
    "regulations": "documents",
    "normative_documents": "documents",
    "licensing": "figures",
    "penalty": "figures",
    "coercion": "figures",
    "fees": "figures",
}
_FIX_LABELS = {"narrative": "修改正文", "documents": "规章和规范性文件登记簿",
               "figures": "执法和收费数据", "appeals": "行政复议和行政诉讼登记簿",
               "cell": "查看数字来源"}  # fmt: skip


@dataclass(frozen=True)
class ShownFinding:
    rule: str
    message: str
    place: str
    fix_url: str | None
    fix_label: str


def shown_findings(
    findings: tuple[Finding, ...] | list[Finding], organisation: Organisation, year: int
) -> list[ShownFinding]:
    lay = layout(FormatVersion.V2021 if year >= 2021 else FormatVersion.V2019)
    shown = []
    for finding in findings:
        url, label = _fix(organisation, year, finding.where)
        shown.append(
            ShownFinding(
                finding.rule, finding.message, describe_where(lay, finding.where), url, label
            )
        )
    return shown


def _fix(organisation: Organisation, year: int, where: str) -> tuple[str | None, str]:
    code = organisation.code
    head = where.split(".")[0]
    if head in _NARRATIVE:
        return reverse("reports:narrative", args=[code, year]), _FIX_LABELS["narrative"]
    parts = where.split(".")
    if head == "t2" and len(parts) > 1 and parts[1] in _T2_REGISTERS:
        return _register(code, _T2_REGISTERS[parts[1]], year)
    if head == "t4":
        return _register(code, "appeals", year)
    if head == "t3" and len(parts) == 3:
        return reverse("reports:cell", args=[code, year, where]), _FIX_LABELS["cell"]
    return None, ""


def _register(code: str, slug: str, year: int) -> tuple[str, str]:
    url = reverse("reports:register_list", args=[code, slug])
    return f"{url}?year={year}", _FIX_LABELS[slug]
