"""The statutory holidays computed from the law (gongkai/domain/holidays.py).

The expected dates of 2027–2030 were looked up by hand in a printed 万年历 (农历 and 节气 tables),
not produced by lunar-python; 2025 and 2026 are checked against the State Council's notices as the
chinesecalendar package records them (the 2025 revision of the 办法 applies to both)."""

from __future__ import annotations

import datetime as dt

import pytest
from chinese_calendar import constants

from gongkai.domain.holidays import HolidayRuleError, holiday_law, parse_holiday_law
from gongkai.domain.workdays import DayKind, default_calendar

D = dt.date

# year: (除夕, 清明, 端午, 中秋)
ALMANAC = {
    2027: (D(2027, 2, 5), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15)),
    2028: (D(2028, 1, 25), D(2028, 4, 4), D(2028, 5, 28), D(2028, 10, 3)),
    2029: (D(2029, 2, 12), D(2029, 4, 4), D(2029, 6, 16), D(2029, 9, 22)),
    2030: (D(2030, 2, 2), D(2030, 4, 5), D(2030, 6, 5), D(2030, 9, 12)),
}


def expected_days(year: int) -> set[dt.date]:
    eve, qingming, duanwu, zhongqiu = ALMANAC[year]
    spring = {eve + dt.timedelta(days=i) for i in range(4)}  # 除夕、初一至初三
    fixed = {D(year, 1, 1), D(year, 5, 1), D(year, 5, 2), *(D(year, 10, d) for d in (1, 2, 3))}
    return spring | fixed | {qingming, duanwu, zhongqiu}


@pytest.mark.parametrize("year", sorted(ALMANAC))
def test_each_statutory_holiday_of_the_year(year: int) -> None:
    assert set(holiday_law().holidays(year)) == expected_days(year)


@pytest.mark.parametrize("year", sorted(ALMANAC))
def test_a_year_without_a_notice_rests_on_them_and_stays_provisional(year: int) -> None:
    calendar = default_calendar()
    for day in expected_days(year):
        assert calendar.kind(day) is DayKind.HOLIDAY, day
        assert not calendar.is_workday(day)
    assert calendar.is_provisional(D(year, 6, 1))
    # Nothing but the law: no 调休 working weekend is invented.
    weekend = next(D(year, 2, d) for d in range(1, 8) if D(year, 2, d).weekday() == 5)
    assert calendar.kind(weekend) is not DayKind.MAKEUP_WORKDAY


def test_mid_autumn_on_national_day_keeps_both_names() -> None:
    assert holiday_law().holidays(2028)[D(2028, 10, 3)] == "中秋节、国庆节"


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notices_contain_every_statutory_day(year: int) -> None:
    published = {day for day in constants.holidays if day.year == year}
    assert set(holiday_law().holidays(year)) <= published


def test_a_published_year_is_not_replaced_by_the_law() -> None:
    calendar = default_calendar()
    # 2026: the notice gives 春节 from 02-15 to 02-23; 02-14 (Saturday) is a 调休 working day.
    assert calendar.kind(D(2026, 2, 14)) is DayKind.MAKEUP_WORKDAY
    assert not calendar.is_provisional(D(2026, 2, 14))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "source"),
        ({"source": "办法", "holiday": [{"name": "元旦", "calendar": "julian"}]}, "calendar"),
        (
            {"source": "办法", "holiday": [{"name": "清明节", "calendar": "solar_term"}]},
            "term",
        ),
        (
            {
                "source": "办法",
                "holiday": [{"name": "元旦", "calendar": "gregorian", "month": 13, "day": 1}],
            },
            "month/day",
        ),
        (
            {
                "source": "办法",
                "holiday": [
                    {"name": "元旦", "calendar": "gregorian", "month": 1, "day": 1, "days": "1"}
                ],
            },
            "days",
        ),
    ],
)
def test_malformed_holiday_data_is_refused_with_a_message(data: dict, message: str) -> None:
    with pytest.raises(HolidayRuleError, match=message):
        parse_holiday_law(data)
