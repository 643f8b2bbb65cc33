"""Working-day calendar: agreement with chinesecalendar, the data files, provisional years.

Expected dates are counted by hand from the State Council notices (spec.md §7 for 2025/2026, the
2024 schedule in the issue); each comment shows the count.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.workdays import (
    DATA_DIR,
    CalendarDataError,
    DayKind,
    Schedule,
    WorkdayCalendar,
    build_calendar,
    chinesecalendar_schedules,
    default_calendar,
    load_schedule,
    load_schedules,
    parse_schedule,
)

D = dt.date
TEST_DATA = Path(__file__).with_name("data")
CAL = default_calendar()


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(i) for i in range((end - start).days + 1)]


def test_every_day_2019_to_2026_agrees_with_chinesecalendar() -> None:
    wrong = [
        d
        for d in days(D(2019, 1, 1), D(2026, 12, 31))
        if CAL.is_workday(d) != chinese_calendar.is_workday(d)
    ]
    assert wrong == []


def test_every_day_2004_to_2018_agrees_with_chinesecalendar() -> None:
    wrong = [
        d
        for d in days(D(2004, 1, 1), D(2018, 12, 31))
        if CAL.is_workday(d) != chinese_calendar.is_workday(d)
    ]
    assert wrong == []


@pytest.mark.parametrize("year", [2025, 2026])
def test_recorded_schedule_file_agrees_day_by_day_with_chinesecalendar(year: int) -> None:
    schedule = load_schedule(DATA_DIR / f"{year}.toml")
    assert schedule.source.startswith(f"国务院办公厅关于{year}年部分节假日安排的通知")
    only_file = WorkdayCalendar([schedule])
    wrong = [
        d
        for d in days(D(year, 1, 1), D(year, 12, 31))
        if only_file.is_workday(d) != chinese_calendar.is_workday(d)
    ]
    assert wrong == []


def test_2025_file_matches_the_notice_in_spec() -> None:
    # spec §7, 国办发明电〔2024〕12号: 1/1; 1/28–2/4; 4/4–4/6; 5/1–5/5; 5/31–6/2; 10/1–10/8;
    # 上班 1/26 (Sun), 2/8 (Sat), 4/27 (Sun), 9/28 (Sun), 10/11 (Sat).
    schedule = load_schedule(DATA_DIR / "2025.toml")
    expected_off = [
        D(2025, 1, 1),
        *days(D(2025, 1, 28), D(2025, 2, 4)),
        *days(D(2025, 4, 4), D(2025, 4, 6)),
        *days(D(2025, 5, 1), D(2025, 5, 5)),
        *days(D(2025, 5, 31), D(2025, 6, 2)),
        *days(D(2025, 10, 1), D(2025, 10, 8)),
    ]
    assert sorted(schedule.holidays) == expected_off
    makeups = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]
    assert sorted(schedule.makeup_workdays) == makeups


def test_2026_file_matches_the_notice_in_spec() -> None:
    # spec §7, notice of 2025-11-04: 1/1–1/3; 2/15–2/23; 4/4–4/6; 5/1–5/5; 6/19–6/21; 9/25–9/27;
    # 10/1–10/7; 上班 1/4 (Sun), 2/14 (Sat), 2/28 (Sat), 5/9 (Sat), 9/20 (Sun), 10/10 (Sat).
    schedule = load_schedule(DATA_DIR / "2026.toml")
    expected_off = (
        days(D(2026, 1, 1), D(2026, 1, 3))
        + days(D(2026, 2, 15), D(2026, 2, 23))
        + days(D(2026, 4, 4), D(2026, 4, 6))
        + days(D(2026, 5, 1), D(2026, 5, 5))
        + days(D(2026, 6, 19), D(2026, 6, 21))
        + days(D(2026, 9, 25), D(2026, 9, 27))
        + days(D(2026, 10, 1), D(2026, 10, 7))
    )
    assert sorted(schedule.holidays) == expected_off
    makeups = [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert sorted(schedule.makeup_workdays) == makeups


# The 2024 schedule (国务院办公厅关于2024年部分节假日安排的通知), as listed in the issue.
HOLIDAYS_2024 = [
    D(2024, 1, 1),
    *days(D(2024, 2, 10), D(2024, 2, 17)),
    *days(D(2024, 4, 4), D(2024, 4, 6)),
    *days(D(2024, 5, 1), D(2024, 5, 5)),
    D(2024, 6, 10),
    *days(D(2024, 9, 15), D(2024, 9, 17)),
    *days(D(2024, 10, 1), D(2024, 10, 7)),
]
MAKEUPS_2024 = [
    D(2024, 2, 4),
    D(2024, 2, 18),
    D(2024, 4, 7),
    D(2024, 4, 28),
    D(2024, 5, 11),
    D(2024, 9, 14),
    D(2024, 9, 29),
    D(2024, 10, 12),
]


def test_2024_schedule_by_hand() -> None:
    for day in days(D(2024, 1, 1), D(2024, 12, 31)):
        expected = day in MAKEUPS_2024 or (day.weekday() < 5 and day not in HOLIDAYS_2024)
        assert CAL.is_workday(day) is expected, day
        assert chinese_calendar.is_workday(day) is expected, day


# -- explanations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2024, 1, 1), "元旦"),
        (D(2024, 2, 12), "春节"),
        (D(2024, 4, 5), "清明节"),
        (D(2024, 5, 2), "劳动节"),
        (D(2024, 6, 10), "端午节"),
        (D(2024, 9, 16), "中秋节"),
        (D(2024, 10, 3), "国庆节"),
        (D(2024, 2, 4), "调休上班"),
        (D(2025, 1, 28), "春节"),
        (D(2025, 1, 26), "调休上班"),
        (D(2025, 1, 25), "周末"),
        (D(2025, 1, 21), "工作日"),
        (D(2025, 10, 6), "国庆节、中秋节"),  # one block in the 2025 notice
        (D(2026, 9, 26), "中秋节"),
        (D(2015, 9, 3), "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
        (D(2027, 1, 2), "周末"),
        (D(2027, 1, 1), "元旦"),  # no 2027 notice yet: the statutory day off all the same
        (D(2027, 1, 4), "工作日"),
    ],
)
def test_explain_names_the_reason(day: dt.date, reason: str) -> None:
    assert CAL.explain(day) == reason


def test_kind_distinguishes_holiday_weekend_and_makeup() -> None:
    assert CAL.kind(D(2025, 1, 28)) is DayKind.HOLIDAY
    assert CAL.kind(D(2025, 2, 1)) is DayKind.HOLIDAY  # Saturday inside the 春节 block
    assert CAL.kind(D(2025, 2, 9)) is DayKind.WEEKEND
    assert CAL.kind(D(2025, 2, 8)) is DayKind.MAKEUP_WORKDAY
    assert CAL.kind(D(2025, 2, 10)) is DayKind.WORKDAY


# -- arithmetic -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # spec §7 worked examples.
        (D(2025, 1, 20), 7, D(2025, 2, 5)),
        (D(2025, 1, 20), 20, D(2025, 2, 21)),
        (D(2025, 1, 20), 40, D(2025, 3, 21)),
        (D(2025, 9, 22), 20, D(2025, 10, 24)),
        (D(2026, 2, 9), 7, D(2026, 2, 25)),
        (D(2026, 2, 9), 20, D(2026, 3, 13)),
        # 4/1..4/3 = 3, 4/4–4/6 清明, 4/7 Sun 上班 = 4, 4/8..4/10 = 7
        (D(2024, 3, 29), 7, D(2024, 4, 10)),
        # … 4/11, 4/12 = 9, 4/15..19 = 14, 4/22..26 = 19, 4/28 Sun 上班 = 20: a Sunday deadline
        (D(2024, 3, 29), 20, D(2024, 4, 28)),
        # 12/31 = 1, 1/1 元旦, 1/2, 1/3 = 3, 1/6..1/9 = 7 (two schedules meet)
        (D(2024, 12, 30), 7, D(2025, 1, 9)),
        # 12/21..25 = 5, 12/28..31 = 9, 2027-01-01 Fri 元旦 (statutory), 1/4..8 = 14, 1/11..15 = 19,
        # 1/18 = 20
        (D(2026, 12, 20), 20, D(2027, 1, 18)),
        (D(2025, 1, 20), 0, D(2025, 1, 20)),
    ],
)
def test_add_workdays(start: dt.date, n: int, expected: dt.date) -> None:
    assert CAL.add_workdays(start, n) == expected


def test_workdays_between_counts_end_not_start() -> None:
    assert CAL.workdays_between(D(2025, 1, 20), D(2025, 2, 5)) == 7
    assert CAL.workdays_between(D(2025, 2, 5), D(2025, 1, 20)) == -7
    assert CAL.workdays_between(D(2025, 1, 28), D(2025, 2, 4)) == 0  # all 春节


def test_negative_n_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        CAL.add_workdays(D(2025, 1, 20), -1)


# -- provisional years ----------------------------------------------------------------------------


def test_years_without_a_schedule_are_provisional_and_never_raise() -> None:
    assert not CAL.is_provisional(D(2026, 12, 31))
    assert CAL.is_provisional(D(2027, 1, 1))
    assert CAL.is_provisional(D(2003, 12, 31))
    assert CAL.any_provisional(D(2026, 12, 1), D(2027, 1, 5))
    assert not CAL.any_provisional(D(2024, 1, 1), D(2026, 12, 31))
    # Monday–Friday rule far away from the data, in both directions.
    assert CAL.add_workdays(D(2100, 1, 1), 1) == D(2100, 1, 4)  # Fri → Mon
    assert CAL.add_workdays(D(1990, 3, 2), 5) == D(1990, 3, 9)  # Fri → next Fri
    assert CAL.workdays_between(D(1999, 12, 31), D(2100, 1, 1)) > 0


def test_an_empty_calendar_is_all_monday_to_friday() -> None:
    empty = WorkdayCalendar([])
    assert empty.add_workdays(D(2025, 1, 20), 7) == D(2025, 1, 29)
    assert empty.is_provisional(D(2025, 1, 20))


# -- override files -------------------------------------------------------------------------------


def test_a_national_file_for_an_unknown_year_makes_it_non_provisional() -> None:
    test_2027 = load_schedule(TEST_DATA / "2027-test.toml")
    calendar = build_calendar(chinesecalendar_schedules(), [test_2027])
    assert not calendar.is_provisional(D(2027, 2, 8))
    assert calendar.explain(D(2027, 2, 8)) == "春节"
    assert calendar.explain(D(2027, 2, 13)) == "调休上班"
    # 2026-12-31 Thu: 1/1–1/3 off (test data), 1/4 = 1
    assert calendar.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_a_national_file_replaces_the_package_data_of_its_year() -> None:
    moved = Schedule(2025, "测试", {D(2025, 1, 2): "测试假日"}, {})
    calendar = build_calendar(chinesecalendar_schedules(), [moved])
    assert not calendar.is_workday(D(2025, 1, 2))
    assert calendar.is_workday(D(2025, 1, 28))  # the package's 春节 is gone with its year
    assert not calendar.is_workday(D(2024, 2, 12))  # other years untouched


def test_local_holidays_apply_only_to_their_region() -> None:
    local = load_schedule(TEST_DATA / "local-test.toml")
    assert local.region == "测试自治区"
    national = build_calendar(chinesecalendar_schedules(), [local])
    regional = build_calendar(chinesecalendar_schedules(), [local], regions=["测试自治区"])
    assert national.is_workday(D(2025, 6, 6))
    assert not regional.is_workday(D(2025, 6, 6))
    assert regional.explain(D(2025, 6, 6)) == "古尔邦节"
    # Thu 6/5 + 1: 6/6 古尔邦节, 6/7–6/8 weekend, 6/9 = 1
    assert regional.add_workdays(D(2025, 6, 5), 1) == D(2025, 6, 9)
    assert regional.regions == ("测试自治区",)


def test_the_shipped_data_folder_has_no_invented_years() -> None:
    years = sorted(s.year for s in load_schedules(DATA_DIR))
    assert years == [2025, 2026]


def test_duplicate_national_years_are_rejected() -> None:
    one = Schedule(2030, "甲", {}, {})
    with pytest.raises(CalendarDataError):
        WorkdayCalendar([one, one])


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"year": 2027}, "source"),
        ({"year": 2027, "source": "  "}, "source"),
        ({"source": "通知"}, "year"),
        ({"year": True, "source": "通知"}, "year"),
        (
            {"year": 2027, "source": "通知", "holiday": [{"name": "春节"}]},
            "start",
        ),
        (
            {
                "year": 2027,
                "source": "通知",
                "holiday": [{"name": "春节", "start": D(2027, 2, 6), "end": D(2027, 2, 5)}],
            },
            "end",
        ),
        (
            {
                "year": 2027,
                "source": "通知",
                "holiday": [
                    {"name": "春节", "start": D(2027, 2, 6), "makeup_workdays": [D(2027, 2, 8)]}
                ],
            },
            "周六或周日",
        ),
        (
            {
                "year": 2027,
                "source": "通知",
                "holiday": [{"name": "国庆节", "start": D(2029, 10, 1)}],
            },
            "不属于",
        ),
    ],
)
def test_malformed_records_are_rejected_in_chinese(record: dict[str, object], message: str) -> None:
    with pytest.raises(CalendarDataError, match=message):
        parse_schedule(record)


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "2027.toml"
    bad.write_text("year = ", encoding="utf-8")
    with pytest.raises(CalendarDataError, match="TOML"):
        load_schedule(bad)


# -- properties -----------------------------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2035, 12, 31))
counts = st.integers(min_value=1, max_value=300)


@given(dates, counts, counts)
def test_adding_n_then_m_equals_adding_n_plus_m(start: dt.date, n: int, m: int) -> None:
    assert CAL.add_workdays(CAL.add_workdays(start, n), m) == CAL.add_workdays(start, n + m)


@given(dates, counts)
def test_the_result_is_a_working_day_n_working_days_later(start: dt.date, n: int) -> None:
    due = CAL.add_workdays(start, n)
    assert CAL.is_workday(due)
    assert CAL.workdays_between(start, due) == n


@given(dates, st.integers(min_value=1, max_value=60))
def test_lookup_agrees_with_a_day_by_day_loop(start: dt.date, n: int) -> None:
    # spec §7's algorithm: step day by day from start + 1, count working days until n.
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(1)
        counted += CAL.is_workday(day)
    assert CAL.add_workdays(start, n) == day
