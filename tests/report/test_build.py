"""Tables built from records: hand-made histories, and the identities over random ones."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.report.build import (
    COLUMNS6,
    AppealRecord,
    CaseRecord,
    RecordError,
    counts,
    table3,
    table3_members,
    table4,
    table4_members,
)
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.schema import FormatVersion, layout

D = dt.date


def test_a_hand_made_year() -> None:
    records = [
        CaseRecord(1, "natural", D(2023, 12, 20), D(2024, 1, 8), "r_open"),  # carried in, answered
        CaseRecord(2, "natural", D(2024, 3, 1), D(2024, 3, 20), "r_partial"),
        CaseRecord(3, "biz", D(2024, 5, 6), D(2024, 6, 1), "r_other_nocorrect"),  # 补正 never came
        CaseRecord(4, "natural", D(2024, 12, 23), None),  # open on 12-31: carried out
        CaseRecord(
            5, "legal", D(2024, 12, 30), D(2025, 1, 6), "r_na_notheld"
        ),  # concluded next year
        CaseRecord(6, "natural", D(2023, 5, 5), D(2023, 6, 1), "r_open"),  # last year's business
        CaseRecord(7, "ngo", D(2025, 1, 2), None),  # next year's
    ]
    members = table3_members(records, 2024)
    got = counts(table3(members))
    assert got["new"] == [2, 1, 0, 0, 1, 0, 4]
    assert got["carry_in"] == [1, 0, 0, 0, 0, 0, 1]
    assert got["r_open"] == [1, 0, 0, 0, 0, 0, 1]
    assert got["r_partial"] == [1, 0, 0, 0, 0, 0, 1]
    assert got["r_other_nocorrect"] == [0, 1, 0, 0, 0, 0, 1]
    assert got["r_total"] == [2, 1, 0, 0, 0, 0, 3]
    assert got["carry_out"] == [1, 0, 0, 0, 1, 0, 2]
    assert members[("carry_out", "total")] == [4, 5]


def test_the_2019_format_merges_the_other_rows() -> None:
    records = [CaseRecord(1, "natural", D(2020, 3, 1), D(2020, 3, 9), "r_other_nofee")]
    got = counts(table3(table3_members(records, 2020, FormatVersion.V2019), FormatVersion.V2019))
    assert got["r_other"] == [1, 0, 0, 0, 0, 0, 1]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (CaseRecord(9, "alien", D(2024, 1, 2)), "申请人类型"),
        (CaseRecord(9, "natural", D(2024, 3, 2), D(2024, 3, 1), "r_open"), "早于"),
        (CaseRecord(9, "natural", D(2024, 3, 2), D(2024, 3, 5), None), "答复类型"),
    ],
)
def test_records_that_cannot_be_counted_are_named(record: CaseRecord, message: str) -> None:
    with pytest.raises(RecordError, match=message) as caught:
        table3_members([record], 2024)
    assert caught.value.record_id == 9


def test_appeals_by_decision_date() -> None:
    appeals = [
        AppealRecord(1, "review", D(2024, 2, 1), "upheld", D(2024, 4, 1)),
        AppealRecord(2, "review", D(2024, 11, 1)),  # pending on 12-31
        AppealRecord(3, "suit_direct", D(2023, 9, 1), "corrected", D(2024, 2, 1)),
        AppealRecord(
            4, "suit_after_review", D(2023, 1, 1), "other", D(2023, 6, 1)
        ),  # reported in 2023
    ]
    got = counts(table4(table4_members(appeals, 2024)))
    assert got == {
        "review": [1, 0, 0, 1, 2],
        "suit_direct": [0, 1, 0, 0, 1],
        "suit_after_review": [0, 0, 0, 0, 0],
    }


LEAVES = [row.key for row in layout(FormatVersion.V2021).t3_leaves]
day = st.dates(min_value=D(2022, 1, 1), max_value=D(2026, 12, 31))


@st.composite
def records(draw: st.DrawFn) -> list[CaseRecord]:
    result = []
    for i in range(draw(st.integers(0, 60))):
        received = draw(day)
        concluded = draw(
            st.one_of(st.none(), st.dates(min_value=received, max_value=D(2027, 6, 30)))
        )
        outcome = draw(st.sampled_from(LEAVES)) if concluded else None
        result.append(CaseRecord(i, draw(st.sampled_from(COLUMNS6)), received, concluded, outcome))
    return result


@settings(max_examples=300, deadline=None)
@given(records(), st.integers(2023, 2026))
def test_the_identities_hold_for_any_case_histories(history: list[CaseRecord], year: int) -> None:
    t3 = table3(table3_members(history, year))
    report = AnnualReport(format=FormatVersion.V2021, year=year, t3=t3)
    arithmetic = [
        f for f in check_report(report) if f.rule.startswith("T3-") and f.severity.value == "error"
    ]
    assert arithmetic == []
    # …and this year's carry-out is next year's carry-in.
    following = table3(table3_members(history, year + 1))
    assert counts(t3)["carry_out"] == counts(following)["carry_in"]


@settings(max_examples=100, deadline=None)
@given(records(), st.integers(2023, 2026))
def test_drill_down_lists_sum_to_the_cell(history: list[CaseRecord], year: int) -> None:
    members = table3_members(history, year)
    for (row, column), ids in members.items():
        if column == "total":
            assert sorted(ids) == sorted(i for c in COLUMNS6 for i in members[(row, c)])
