"""Risk scores: which reports, and which agencies, a supervisor should look at first.

The weighting is data (data/risk.toml, explained there and in docs/audit-batch.md): every
finding brings its severity's points times its rule's weight; a rule's further findings add a
quarter each (a report with thirty blank cells is not thirty times worse than one with one); the
points become a score from 0 to 100 on a saturating curve, so scores stay comparable however many
findings a report has. An unreadable file gets a fixed score. An agency's score is the highest of
its reports' scores: the worst report decides where to look, and a bad report is not averaged away
by the agency's good ones.
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from gongkai.domain.report.findings import Finding

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "risk.toml"


@dataclass(frozen=True)
class RiskWeights:
    scale: float
    repeat: float
    max_repeats: int
    unreadable: float
    severity: Mapping[str, float]
    family: Mapping[str, float]
    rule: Mapping[str, float]

    def weight(self, rule_id: str) -> float:
        """The rule's own weight, else its family's (the id before the last "-"), else 1."""
        if rule_id in self.rule:
            return self.rule[rule_id]
        return self.family.get(rule_id.rpartition("-")[0], 1.0)


def load_weights(text: str) -> RiskWeights:
    data = tomllib.loads(text)
    return RiskWeights(
        scale=float(data["scale"]),
        repeat=float(data["repeat"]),
        max_repeats=int(data["max_repeats"]),
        unreadable=float(data["unreadable"]),
        severity={k: float(v) for k, v in data["severity"].items()},
        family={k: float(v) for k, v in data.get("family", {}).items()},
        rule={k: float(v) for k, v in data.get("rule", {}).items()},
    )


@cache
def default_weights() -> RiskWeights:
    return load_weights(DATA_FILE.read_text("utf-8"))


def report_points(findings: Iterable[Finding], weights: RiskWeights | None = None) -> float:
    """Σ per rule of severity points × rule weight × (1 + repeat × min(n − 1, max_repeats))."""
    w = weights or default_weights()
    counts = Counter((f.rule, f.severity.value) for f in findings)
    points = 0.0
    for (rule, severity), count in counts.items():
        extra = min(count - 1, w.max_repeats)
        points += w.severity.get(severity, 0.0) * w.weight(rule) * (1 + w.repeat * extra)
    return points


def report_risk(
    findings: Iterable[Finding], *, unreadable: bool = False, weights: RiskWeights | None = None
) -> float:
    """0–100: 100 × (1 − e^(−points/scale)) rounded to 0.1; the fixed score when unreadable."""
    w = weights or default_weights()
    if unreadable:
        return w.unreadable
    points = report_points(findings, w)
    return round(100.0 * (1.0 - math.exp(-points / w.scale)), 1)


@dataclass(frozen=True)
class AgencyRisk:
    agency: str
    score: float  # the highest score of its reports
    reports: int
    worst: str  # the name of the report with that score


def agency_risks(scored: Iterable[tuple[str | None, str, float]]) -> list[AgencyRisk]:
    """Per agency from (agency, report name, score): highest score first, then by name.

    A report whose agency is unknown stands alone under its file name: unknown agencies are not
    one agency.
    """
    groups: dict[str, list[tuple[str, float]]] = {}
    for agency, name, score in scored:
        groups.setdefault(agency or f"（未识别机关）{PurePosixPath(name).name}", []).append(
            (name, score)
        )
    result = []
    for agency, reports in groups.items():
        worst, score = max(reports, key=lambda item: item[1])  # the first of equals
        result.append(AgencyRisk(agency, score, len(reports), worst))
    return sorted(result, key=lambda a: (-a.score, a.agency))
