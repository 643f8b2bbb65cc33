"""Tables built from records: hand-made histories, and the identities over random ones."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.report.build import (
    COLUMNS6,
    AppealRecord,
    CaseRecord,
    InvalidGroup,
    RecordError,
    T3CellFilter,
    T3Group,
    T4Group,
    counts,
    outcomes_of_row,
    t3_cell_filter,
    table3,
    table3_from_groups,
    table3_members,
    table3_members_between,
    table4,
    table4_from_groups,
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


def _groups(history: list[CaseRecord], start: D, end: D) -> list[T3Group]:
    """What a GROUP BY returns: the active records counted by their facts."""
    counted: Counter[tuple[bool, bool, bool, bool, str | None, str]] = Counter()
    for r in history:
        if r.received_on > end or (r.concluded_on is not None and r.concluded_on < start):
            continue
        closed = r.concluded_on is not None
        concluded = closed and r.concluded_on <= end  # type: ignore[operator]
        inverted = closed and r.concluded_on < r.received_on  # type: ignore[operator]
        counted[
            (r.received_on < start, concluded, closed, inverted, r.outcome, r.applicant_type)
        ] += 1
    return [T3Group(*facts, n) for facts, n in counted.items()]


@settings(max_examples=200, deadline=None)
@given(records(), st.integers(2023, 2026), st.sampled_from(list(FormatVersion)[:2]))
def test_grouped_counts_fold_to_the_build_from_records(
    history: list[CaseRecord], year: int, version: FormatVersion
) -> None:
    start, end = D(year, 1, 1), D(year, 12, 31)
    members = table3_members_between(history, start, end, version)
    assert table3_from_groups(_groups(history, start, end), version) == table3(members, version)


def _matches(cell: T3CellFilter, r: CaseRecord, start: D, end: D) -> bool:
    """A cell filter read the way the query reads it, over an active record."""
    concluded = r.concluded_on is not None and r.concluded_on <= end
    return (
        (cell.carried_in is None or cell.carried_in == (r.received_on < start))
        and (cell.concluded is None or cell.concluded == concluded)
        and (cell.outcomes is None or r.outcome in cell.outcomes)
        and (cell.applicant_type is None or cell.applicant_type == r.applicant_type)
    )


@settings(max_examples=100, deadline=None)
@given(records(), st.integers(2023, 2026), st.sampled_from(list(FormatVersion)[:2]))
def test_each_cell_filter_selects_the_cell_s_members(
    history: list[CaseRecord], year: int, version: FormatVersion
) -> None:
    start, end = D(year, 1, 1), D(year, 12, 31)
    active = [r for r in history if r.received_on <= end
              and (r.concluded_on is None or r.concluded_on >= start)]  # fmt: skip
    for (row, column), ids in table3_members_between(history, start, end, version).items():
        cell = t3_cell_filter(row, column, version)
        assert sorted(r.id for r in active if _matches(cell, r, start, end)) == sorted(ids)


def test_the_2019_other_row_is_the_three_2021_rows_and_its_own() -> None:
    assert outcomes_of_row("r_other", FormatVersion.V2019) == {
        "r_other", "r_other_nocorrect", "r_other_nofee", "r_other_other"}  # fmt: skip
    assert outcomes_of_row("r_open", FormatVersion.V2019) == {"r_open"}
    with pytest.raises(ValueError):
        t3_cell_filter("r_other", "total", FormatVersion.V2021)


def test_a_group_that_cannot_be_counted_is_refused() -> None:
    with pytest.raises(InvalidGroup):
        table3_from_groups([T3Group(False, True, True, False, None, "natural", 1)])
    with pytest.raises(InvalidGroup):
        table3_from_groups([T3Group(False, False, False, False, None, "alien", 1)])
    with pytest.raises(InvalidGroup):
        table4_from_groups([T4Group("review", True, None, 1)])
    assert counts(table4_from_groups([T4Group("review", False, None, 2)]))["review"] == [
        0, 0, 0, 2, 2]  # fmt: skip
