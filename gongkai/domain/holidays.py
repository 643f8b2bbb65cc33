"""The statutory holidays of a year, computed from the law (data/statutory_holidays.toml).

《全国年节及纪念日放假办法》 fixes which days are public holidays: 元旦, 春节 (除夕 to 初三), 清明节,
劳动节, 端午节, 中秋节, 国庆节. Their dates follow from the Gregorian calendar, the Chinese lunar
calendar and the solar terms, so they are certain years ahead; what the State Council's yearly notice
adds (调休 working weekends, bridged days, the weekday in lieu of a holiday on a weekend) is not.
A year without a notice therefore gets a *statutory* schedule: these days off, nothing else, and
every result that touches the year stays 暂定 (`Schedule.provisional`).

Lunar dates and solar terms come from lunar-python (6tail), not from home-made astronomy.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lunar_python import Lunar, Solar

from gongkai.domain.workdays import Schedule

DATA_FILE = Path(__file__).with_name("data") / "statutory_holidays.toml"
_CALENDARS = ("gregorian", "lunar", "solar_term")
_FIRST_YEAR, _LAST_YEAR = 1901, 2099  # the range lunar-python's tables are exact in


class HolidayRuleError(ValueError):
    """The holiday data file is malformed; the message is for the person who maintains it."""


@dataclass(frozen=True)
class HolidayRule:
    name: str
    calendar: str  # gregorian | lunar | solar_term
    days: int
    month: int = 0
    day: int = 0
    offset: int = 0
    term: str = ""

    def first_day(self, year: int) -> dt.date:
        if self.calendar == "gregorian":
            start = dt.date(year, self.month, self.day)
        elif self.calendar == "lunar":
            solar = Lunar.fromYmd(year, self.month, self.day).getSolar()
            start = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
        else:
            start = _solar_term(year, self.term)
        return start + dt.timedelta(days=self.offset)

    def dates(self, year: int) -> list[dt.date]:
        first = self.first_day(year)
        return [first + dt.timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class HolidayLaw:
    source: str
    rules: tuple[HolidayRule, ...]

    def holidays(self, year: int) -> dict[dt.date, str]:
        """Every statutory day off of `year` → the holiday's name (a lunar holiday belongs to the
        lunar year `year`: 除夕 of 春节 2028 is 2028-01-25)."""
        if not _FIRST_YEAR <= year <= _LAST_YEAR:
            return {}
        days: dict[dt.date, str] = {}
        for rule in self.rules:
            for day in rule.dates(year):
                # 中秋 can fall on a 国庆 day (2028-10-03): one day off, both names.
                days[day] = f"{days[day]}、{rule.name}" if day in days else rule.name
        return days

    def schedule(self, year: int) -> Schedule:
        """The year's statutory days off as a provisional national schedule."""
        return Schedule(year, self.source, self.holidays(year), provisional=True)


def _solar_term(year: int, term: str) -> dt.date:
    # The table of a lunar year reaches from the previous winter into the next; look the term up
    # in the table of the lunar year that contains 1 July of `year`.
    table = Solar.fromYmd(year, 7, 1).getLunar().getJieQiTable()
    for name, solar in table.items():
        if name == term and solar.getYear() == year:
            return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
    raise HolidayRuleError(f"{year}年没有名为“{term}”的节气")


@lru_cache(maxsize=1)
def holiday_law(path: Path = DATA_FILE) -> HolidayLaw:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise HolidayRuleError(f"{path.name}：不是有效的 TOML 文件（{exc}）") from exc
    return parse_holiday_law(data)


def parse_holiday_law(data: dict[str, Any]) -> HolidayLaw:
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise HolidayRuleError("法定节假日数据：source 不能为空，须注明法规名称")
    return HolidayLaw(source, tuple(_rule(block) for block in data.get("holiday", [])))


def _rule(block: dict[str, Any]) -> HolidayRule:
    name = block.get("name")
    if not isinstance(name, str) or not name:
        raise HolidayRuleError("法定节假日数据：每个节日须有 name")
    calendar = block.get("calendar")
    if calendar not in _CALENDARS:
        raise HolidayRuleError(f"{name}：calendar 须为 {'、'.join(_CALENDARS)} 之一")
    days = _int(block, "days", name, default=1)
    if not 1 <= days <= 10:
        raise HolidayRuleError(f"{name}：days 须在1至10之间")
    if calendar == "solar_term":
        term = block.get("term")
        if not isinstance(term, str) or not term:
            raise HolidayRuleError(f"{name}：按节气计算的节日须有 term")
        return HolidayRule(name, calendar, days, offset=_int(block, "offset", name), term=term)
    month, day = _int(block, "month", name), _int(block, "day", name)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise HolidayRuleError(f"{name}：month/day 无效")
    return HolidayRule(name, calendar, days, month, day, _int(block, "offset", name))


def _int(block: dict[str, Any], key: str, name: str, default: int = 0) -> int:
    value = block.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise HolidayRuleError(f"{name}：{key} 须为整数")
    return value
