"""The one door between the 审核批次 job and the batch auditor of the domain.

MERGE NOTE (issue 13): `gongkai.domain.report.batch` (`read_one`, `pair_previous`, `AuditedReport`)
and `gongkai.domain.report.similarity` (`batch_similarity`) are written on another branch. Until
they are merged this module implements the same three calls minimally itself — read and check one
file with `parse_report` + `check_report`, risk 0, no pairing with the previous year, no 雷同 —
so that the job, the pages and the tests run. At the merge, replace the body of this module by

    from gongkai.domain.report.batch import AuditedReport, pair_previous, read_one
    from gongkai.domain.report.similarity import batch_similarity

and nothing else in the supervision app changes: it uses only these names and the fields below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.domain.report.findings import Finding
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers import ReportParseError, parse_report
from gongkai.domain.report.rules import check_report

__all__ = ["IMAGE_SUFFIXES", "AuditedReport", "batch_similarity", "pair_previous", "read_one"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")


@dataclass
class AuditedReport:
    """One file of a batch as audited (the fields of gongkai.domain.report.batch.AuditedReport)."""

    name: str
    kind: str = ""
    report: AnnualReport | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str = ""
    agency: str = ""
    year: int | None = None
    previous: str | None = None  # the name of the same agency's previous-year report in the batch
    risk: float = 0.0


def read_one(name: str, data: bytes) -> AuditedReport:
    """Read and check one file; a file that cannot be read carries its reason in `error`."""
    # MERGE: the real read_one reads scans and images by OCR (issue 13, part 1).
    if name.lower().endswith(IMAGE_SUFFIXES):
        return AuditedReport(
            name, kind="image", error="图片需经文字识别（OCR）后才能检查，暂不支持"
        )
    try:
        parsed = parse_report(data, name)
    except ReportParseError as exc:
        return AuditedReport(name, error=str(exc))
    report = parsed.report
    return AuditedReport(
        name,
        kind=parsed.kind,
        report=report,
        findings=check_report(report),
        agency=report.agency or "",
        year=report.year,
    )


def pair_previous(items: list[AuditedReport]) -> list[AuditedReport]:
    """MERGE: the real one pairs each report with its agency's previous year in the batch and
    runs the cross-year rules; this stand-in pairs nothing."""
    return items


def batch_similarity(items: list[AuditedReport]) -> dict[str, list[Finding]]:
    """MERGE: the real one finds 雷同 (D-01, D-02) by file name; this stand-in finds none."""
    return {}
