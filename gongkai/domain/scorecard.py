"""The 考核 scorecard as data (data/scorecard.toml) and its arithmetic.

An indicator takes `points` for every instance the records show (an overdue reply, a catalogue
item without 索引号…), at most `cap` in all (0: no cap); the score is `base` minus the deductions,
never below 0. A government may change an indicator's points, cap or whether it applies, and add
indicators of its own whose instances its supervisors record by hand ("manual"). Every deduction
carries its evidence: the records it counts, each with a kind and an id.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("data") / "scorecard.toml"
EVIDENCE_KINDS = frozenset(
    {"application", "appeal", "report", "finding", "item", "period_report", "guide", "manual"}
)


class ScorecardDataError(ValueError):
    """The indicator data is malformed; the message is Chinese."""


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    points: int
    cap: int  # 0: no cap
    evidence: str
    source: str
    enabled: bool = True
    computed: bool = True  # False: a government's own indicator, recorded by hand


@dataclass(frozen=True)
class Evidence:
    kind: str
    id: str
    label: str = ""
    url: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "label": self.label, "url": self.url}


@dataclass(frozen=True)
class Deduction:
    indicator: Indicator
    points: int  # after the cap
    evidence: tuple[Evidence, ...]
    instances: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.key,
            "label": self.indicator.label,
            "points": self.points,
            "instances": self.instances,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class IndicatorSet:
    base: int
    indicators: tuple[Indicator, ...]

    def get(self, key: str) -> Indicator | None:
        return next((i for i in self.indicators if i.key == key), None)

    @property
    def enabled(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.enabled)

    def with_overrides(
        self, overrides: Mapping[str, tuple[int, int, bool]], custom: Iterable[Indicator] = ()
    ) -> IndicatorSet:
        """A government's set: (points, cap, enabled) per key, plus its own indicators."""
        changed = []
        for indicator in self.indicators:
            if indicator.key in overrides:
                points, cap, enabled = overrides[indicator.key]
                indicator = replace(indicator, points=points, cap=cap, enabled=enabled)
            changed.append(indicator)
        own = [i for i in custom if self.get(i.key) is None]
        return IndicatorSet(self.base, (*changed, *own))


def deduction(
    indicator: Indicator, evidence: Sequence[Evidence], instances: int | None = None
) -> Deduction | None:
    """`points` per instance, capped; None when there is nothing to deduct."""
    count = len(evidence) if instances is None else instances
    if count <= 0 or not indicator.enabled or indicator.points <= 0:
        return None
    points = indicator.points * count
    if indicator.cap > 0:
        points = min(points, indicator.cap)
    return Deduction(indicator, points, tuple(evidence), count)


@dataclass(frozen=True)
class Score:
    base: int
    deductions: tuple[Deduction, ...] = field(default=())

    @property
    def deducted(self) -> int:
        return sum(d.points for d in self.deductions)

    @property
    def value(self) -> int:
        return max(self.base - self.deducted, 0)


@cache
def default_indicators(path: Path = DATA_FILE) -> IndicatorSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardDataError(f"{path.name}：不是有效的 TOML 文件（{exc}）") from exc
    return parse_indicators(data)


def parse_indicators(data: Mapping[str, Any]) -> IndicatorSet:
    base = data.get("base", 100)
    if not isinstance(base, int) or isinstance(base, bool) or base <= 0:
        raise ScorecardDataError("考核指标：base（基础分）须为正整数")
    indicators: list[Indicator] = []
    for block in data.get("indicator", []):
        indicator = parse_indicator(block)
        if any(i.key == indicator.key for i in indicators):
            raise ScorecardDataError(f"考核指标“{indicator.key}”重复")
        indicators.append(indicator)
    if not indicators:
        raise ScorecardDataError("考核指标：至少须有一项指标")
    return IndicatorSet(base, tuple(indicators))


def parse_indicator(block: Mapping[str, Any]) -> Indicator:
    key = block.get("key")
    if not isinstance(key, str) or not key.isidentifier():
        raise ScorecardDataError(f"考核指标的 key 无效：{key!r}")
    texts = {name: block.get(name) for name in ("label", "source", "evidence")}
    for name, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            raise ScorecardDataError(f"考核指标“{key}”缺少 {name}")
    if texts["evidence"] not in EVIDENCE_KINDS:
        raise ScorecardDataError(
            f"考核指标“{key}”的 evidence 须为 {'、'.join(sorted(EVIDENCE_KINDS))} 之一"
        )
    numbers = {name: block.get(name, 0) for name in ("points", "cap")}
    for name, value in numbers.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ScorecardDataError(f"考核指标“{key}”的 {name} 须为非负整数")
    return Indicator(
        key, str(texts["label"]), numbers["points"], numbers["cap"], str(texts["evidence"]),
        str(texts["source"]), bool(block.get("enabled", True)), bool(block.get("computed", True)),
    )  # fmt: skip
