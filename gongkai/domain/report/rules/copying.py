"""雷同 rules D-01 and D-02 (issue 13): the registry's entries for the measure of
gongkai/domain/report/similarity.py (docs/similarity.md, decisions AU-SIM-1…).

D-01 is the section-by-section, passage-level report of a narrative copied from last year; X-04
(section 五 as a whole) and X-05 (the narrative as a whole) stay the spec's verdicts. Section 五 is
reported once: by X-04, with the passages, when it fires, else by D-01 (decision AU-SIM-1).
"""

from __future__ import annotations

from gongkai.domain.report import similarity
from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules.context import CheckContext
from gongkai.domain.report.rules.crossyear import consecutive, x04_problems_copied
from gongkai.domain.report.rules.registry import batch_rule, cross_rule

W = Severity.WARNING
_SOURCE = "国办公开办函〔2021〕30号第二部分（四）“内容雷同”；spec.md §1.3、§6第3项；issue 13"


@cross_rule(
    "D-01",
    W,
    "正文第一、五、六部分（及第一部分各小节）逐部分与上年报告相同内容达到阈值（照抄上年，列出相同段落）",
    source=_SOURCE + "；阈值见 gongkai/domain/data/similarity.toml",
)
def d01_copied_from_last_year(
    report: AnnualReport, previous: AnnualReport, context: CheckContext
) -> list[Finding]:
    """D-01: similarity.d01_findings, leaving section 五 to X-04 when X-04 already reports it."""
    if not consecutive(report, previous):
        return []
    skip = {"s5"} if x04_problems_copied(report, previous, context) else set()
    return similarity.d01_findings(report, previous, skip=skip)


batch_rule(
    "D-02",
    W,
    "正文某部分与同批其他单位报告相同内容达到阈值（跨单位雷同，指明对方报告和相同段落）",
    source=_SOURCE + "；阈值见 gongkai/domain/data/similarity.toml",
)(similarity.batch_similarity)
