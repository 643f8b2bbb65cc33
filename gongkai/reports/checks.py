"""The report of an organisation and year as it stands (records + saved narrative), last year's
report to compare it with, its deadline, and the check that gates publishing.

Publishing is blocked by any error of the rule engine (spec.md §3) and by P-04 (the year has not
ended); every warning, including lateness (P-01…P-03), must be acknowledged. Lateness does not
block: refusing to publish a late report would only make it later (docs/decisions.md R-2).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from gongkai.accounts.models import Organisation
from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers.json import parse_json
from gongkai.domain.report.publication import Deadline, Publisher, deadline, timeliness
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.rules.context import AgencyLevel, CheckContext
from gongkai.reports.build import BuiltReport, Narrative, build_annual_report
from gongkai.reports.models import PriorReport, ReportDraft, ReportVersion

# The records fill the 2021 format's tables (国办公开办函〔2021〕30号); older years are not built.
FIRST_YEAR = 2021

# Lateness is reported and acknowledged, never blocking (docs/decisions.md R-2).
LATENESS_RULES = frozenset({"P-01", "P-02", "P-03", "P-06"})

_PUBLISHERS = {
    Organisation.Kind.GOVERNMENT: Publisher.GOVERNMENT,
    Organisation.Kind.DEPARTMENT: Publisher.DEPARTMENT,
    Organisation.Kind.TOWNSHIP: Publisher.TOWNSHIP,
}


def publisher_of(organisation: Organisation) -> Publisher:
    return _PUBLISHERS[Organisation.Kind(organisation.kind)]


def deadline_of(organisation: Organisation, year: int) -> Deadline:
    """条例第四十九条 for departments and governments; the organisation's own date for townships."""
    return deadline(
        publisher_of(organisation),
        year,
        local_month=organisation.report_due_month,
        local_day=organisation.report_due_day,
    )


def check_context(organisation: Organisation) -> CheckContext:
    return CheckContext(agency_level=AgencyLevel(publisher_of(organisation).value))


def narrative_of(organisation: Organisation, year: int) -> Narrative | None:
    draft = ReportDraft.objects.filter(organisation=organisation, year=year).first()
    if draft is None:
        return None
    return Narrative(draft.overview, draft.problems, draft.other)


def current_report(organisation: Organisation, year: int) -> BuiltReport:
    """Tables from the records as they are now, with the office's saved narrative."""
    return build_annual_report(
        organisation=organisation, year=year, narrative=narrative_of(organisation, year)
    )


def latest_version(organisation: Organisation, year: int) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(organisation=organisation, year=year)
        .order_by("-number")
        .first()
    )


def version_report(version: ReportVersion) -> AnnualReport:
    """The frozen report of a published version, read back from its stored data."""
    return parse_json(render_json_data(version.data))


def render_json_data(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def previous_report(organisation: Organisation, year: int) -> AnnualReport | None:
    """Last year's report: its latest published version here, else an uploaded prior report."""
    version = latest_version(organisation, year - 1)
    if version is not None:
        return version_report(version)
    prior = PriorReport.objects.filter(organisation=organisation, year=year - 1).first()
    return parse_json(render_json_data(prior.data)) if prior else None


@dataclass(frozen=True)
class PrePublish:
    """The findings of the check before publishing, split by what they demand of the office."""

    findings: tuple[Finding, ...]
    compared_with_previous: bool = False  # last year's report was found: the X- rules ran

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(
            f
            for f in self.findings
            if f.severity is Severity.ERROR and f.rule not in LATENESS_RULES
        )

    @property
    def to_acknowledge(self) -> tuple[Finding, ...]:
        return tuple(
            f for f in self.findings if f not in self.blocking and f.severity is not Severity.INFO
        )

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)


def pre_publish(
    organisation: Organisation, year: int, today: dt.date, built: BuiltReport | None = None
) -> PrePublish:
    """Every rule on the report as it stands, the cross-year rules against last year's report,
    and the publication date rules for publishing `today`."""
    built = built or current_report(organisation, year)
    previous = previous_report(organisation, year)
    findings = check_report(built.report, previous, context=check_context(organisation))
    first = ReportVersion.objects.filter(organisation=organisation, year=year, number=1).first()
    # A correction is judged on time or late by the first publication, not by its own date.
    published_on = first.published_on if first else today
    findings += timeliness(year, published_on, deadline_of(organisation, year))
    return PrePublish(tuple(findings), compared_with_previous=previous is not None)


__all__ = [
    "FIRST_YEAR",
    "LATENESS_RULES",
    "PrePublish",
    "check_context",
    "current_report",
    "deadline_of",
    "latest_version",
    "narrative_of",
    "pre_publish",
    "previous_report",
    "publisher_of",
    "version_report",
]
