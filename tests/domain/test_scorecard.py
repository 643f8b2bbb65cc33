"""The 考核 indicator data and arithmetic (gongkai/domain/scorecard.py): expected figures worked
out by hand from the published scheme (鲤城区2020: −6 per overdue reply, …)."""

from __future__ import annotations

import pytest

from gongkai.domain.scorecard import (
    Evidence,
    Indicator,
    Score,
    ScorecardDataError,
    deduction,
    default_indicators,
    parse_indicators,
)

SET = default_indicators()


def evidence(n: int) -> list[Evidence]:
    return [Evidence("application", str(i)) for i in range(n)]


def test_the_default_set_follows_the_published_scheme() -> None:
    points = {i.key: i.points for i in SET.indicators}
    assert SET.base == 100
    assert points["overdue_reply"] == 6
    assert points["appeal_corrected"] == 3
    assert points["report_late"] == points["report_errors"] == points["report_copied"] == 5
    assert points["item_no_index"] == 1
    assert points["item_late"] == 5
    assert all(i.source for i in SET.indicators)


def test_points_per_instance_and_the_cap() -> None:
    overdue = SET.get("overdue_reply")
    assert overdue is not None
    made = deduction(overdue, evidence(3))
    assert made is not None and made.points == 18 and made.instances == 3
    no_index = SET.get("item_no_index")  # 1 a piece, at most 10
    assert no_index is not None
    capped = deduction(no_index, evidence(14))
    assert capped is not None and capped.points == 10 and len(capped.evidence) == 14
    assert deduction(overdue, []) is None


def test_the_score_never_falls_below_zero() -> None:
    overdue = SET.get("overdue_reply")
    assert overdue is not None
    made = deduction(overdue, evidence(20))  # 120 points
    assert made is not None
    assert Score(100, (made,)).value == 0
    assert Score(100, ()).value == 100


def test_a_government_changes_points_disables_and_adds_its_own() -> None:
    own = Indicator("inspection", "检查发现问题", 2, 0, "manual", "区政府通知", computed=False)
    changed = SET.with_overrides(
        {"overdue_reply": (4, 8, True), "guide_stale": (2, 2, False)}, [own]
    )
    overdue = changed.get("overdue_reply")
    assert overdue is not None
    made = deduction(overdue, evidence(3))
    assert made is not None and made.points == 8  # 3 × 4 = 12, capped at 8
    guide = changed.get("guide_stale")
    assert guide is not None and deduction(guide, evidence(1)) is None
    assert changed.get("inspection") == own


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"base": 0, "indicator": []}, "base"),
        ({"indicator": []}, "至少"),
        ({"indicator": [{"key": "a b"}]}, "key"),
        (
            {"indicator": [{"key": "x", "label": "甲", "source": "乙", "evidence": "rumour"}]},
            "evidence",
        ),
        (
            {
                "indicator": [
                    {"key": "x", "label": "甲", "source": "乙", "evidence": "item", "points": -1}
                ]
            },
            "points",
        ),
    ],
)
def test_malformed_indicator_data_is_refused(data: dict, message: str) -> None:
    with pytest.raises(ScorecardDataError, match=message):
        parse_indicators(data)
