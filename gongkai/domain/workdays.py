"""Working-day calendar (工作日) for statutory periods.

A working day is Monday–Friday (《国务院关于职工工作时间的规定》), minus public holidays
(《全国年节及纪念日放假办法》), adjusted by the State Council General Office's yearly notice
(国务院办公厅关于YYYY年部分节假日安排的通知): weekend days designated 上班 (调休) are working days,
weekdays inside a 放假调休 block are not (spec §7).

The calendar is built from data, never hard-coded: one `Schedule` per published notice (from the
`chinesecalendar` package for 2004–2026, or from a file in `calendar_data/`) plus optional local
schedules for autonomous areas. A year with no published national schedule keeps the statutory
holidays the law fixes (`gongkai.domain.holidays`: 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆), is
otherwise counted by the Monday–Friday rule, and is *provisional* (`is_provisional`); no valid date
ever raises.

Speed: every day of the covered years gets a cumulative working-day count, and every working day an
index, so `add_workdays` and `workdays_between` are two list lookups; outside the covered years the
Monday–Friday rule is applied arithmetically.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")

# A TOML bool is an int and a TOML datetime is a date: neither is accepted in their place.
_EXCLUDED_SUBTYPES: Mapping[type, type] = {int: bool, dt.date: dt.datetime}

DATA_DIR = Path(__file__).with_name("calendar_data")
LOCAL_DATA_DIR = DATA_DIR / "local"

WEEKEND_REASON = "周末"
MAKEUP_REASON = "调休上班"
WORKDAY_REASON = "工作日"

CHINESECALENDAR_SOURCE = (
    "chinesecalendar 1.11.0 软件包（收录国务院办公厅2004–2026年部分节假日安排通知）"
)

# chinesecalendar names holidays in English; the trail shows the official Chinese names.
_CHINESECALENDAR_NAMES: Mapping[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# 1970-01-05 was a Monday: weekday arithmetic below counts from it.
_MONDAY_ORDINAL = dt.date(1970, 1, 5).toordinal()


class CalendarDataError(ValueError):
    """A schedule file or record is malformed; the message is for the person who maintains it."""


class DayKind(IntEnum):
    """How the calendar classifies one day."""

    WORKDAY = 0  # ordinary Monday–Friday
    WEEKEND = 1  # Saturday or Sunday, not designated a working day
    HOLIDAY = 2  # inside a published holiday block (national or local)
    MAKEUP_WORKDAY = 3  # weekend day designated 上班 (调休)

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


_KINDS = tuple(DayKind)  # indexed by value
# A day's kind (its byte in the table) → 1 when it is a working day: bytes.translate's table.
_WORKING = bytes(int(_KINDS[b].is_working) if b < len(_KINDS) else 0 for b in range(256))
# Monday … Sunday under the Monday–Friday rule.
_WEEK = bytes(DayKind.WEEKEND if d >= 5 else DayKind.WORKDAY for d in range(7))


@dataclass(frozen=True)
class Schedule:
    """One published holiday schedule.

    National (`region is None`): the State Council General Office's notice for `year`; its presence
    makes the year non-provisional. Local (`region` set): holidays an autonomous area adds on top of
    the national schedule (spec §7: 民族节日 set by local governments); it never makes a year
    non-provisional. `source` cites the notice and is required.
    """

    year: int
    source: str
    holidays: Mapping[dt.date, str] = field(default_factory=dict)
    makeup_workdays: Mapping[dt.date, str] = field(default_factory=dict)
    region: str | None = None
    # The law's statutory days only (gongkai.domain.holidays), for a year whose notice is not out:
    # applied, but the year stays provisional (its 调休 and 补假 are unknown).
    provisional: bool = False


def _weekday_count(day: dt.date) -> int:
    """Monday–Friday days from 1970-01-05 up to and including `day` (negative before it)."""
    offset = day.toordinal() - _MONDAY_ORDINAL
    weeks, rest = divmod(offset, 7)
    return weeks * 5 + min(rest + 1, 5)


def _weekends(low: int, high: int) -> Iterator[tuple[dt.date, DayKind]]:
    """Saturdays and Sundays between two proleptic ordinals, inclusive (Monday–Friday rule)."""
    for ordinal in range(low, high + 1):
        day = dt.date.fromordinal(ordinal)
        if day.weekday() >= 5:
            yield day, DayKind.WEEKEND


def _nth_weekday(count: int) -> dt.date:
    """The Monday–Friday day `d` with `_weekday_count(d) == count` (inverse of the above)."""
    weeks, rest = divmod(count - 1, 5)
    return dt.date.fromordinal(_MONDAY_ORDINAL + weeks * 7 + rest)


class WorkdayCalendar:
    """Working days over national schedules plus optional local ones.

    Methods never raise for a valid `datetime.date`: outside the published years the Monday–Friday
    rule applies and `is_provisional` is true.
    """

    def __init__(self, schedules: Iterable[Schedule]) -> None:
        national: dict[int, Schedule] = {}
        local: list[Schedule] = []
        for schedule in schedules:
            if schedule.region is not None or schedule.provisional:
                local.append(schedule)
            elif schedule.year in national:
                raise CalendarDataError(f"{schedule.year}年的全国节假日安排重复提供")
            else:
                national[schedule.year] = schedule
        self._known_years = frozenset(national)
        self.regions = tuple(sorted({s.region for s in local if s.region}))
        ordered = [national[year] for year in sorted(national)] + local
        self._build_table(ordered)

    # -- construction -------------------------------------------------------------------------

    def _build_table(self, schedules: list[Schedule]) -> None:
        days = [d for s in schedules for d in (*s.holidays, *s.makeup_workdays)]
        years = [s.year for s in schedules] + [d.year for d in days]
        if years:
            first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
        else:
            first, last = dt.date(2000, 1, 1), dt.date(1999, 12, 31)  # empty table
        self._first = first.toordinal()
        size = last.toordinal() - self._first + 1
        # Whole weeks of the Monday–Friday rule, from `first`'s weekday on (built by repeating a
        # week, not day by day: `gongkai due` builds a table of some 12,000 days at start-up).
        week = _WEEK[first.weekday() :] + _WEEK[: first.weekday()]
        kinds = bytearray((week * (size // 7 + 1))[:size])
        self._names: dict[dt.date, str] = {}
        for schedule in schedules:
            self._apply(schedule, kinds)
        self._kinds = bytes(kinds)
        self._size = len(kinds)
        self._notable = [self._first + i for i, kind in enumerate(kinds) if kind]
        # One flag per day: is_workday is on the hot path and must not build enum members.
        self._flags = self._kinds.translate(_WORKING)
        self._index_working_days(first)

    @staticmethod
    def _base_kind(day: dt.date) -> DayKind:
        return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY

    def _apply(self, schedule: Schedule, kinds: bytearray) -> None:
        for day, name in schedule.holidays.items():
            kinds[day.toordinal() - self._first] = DayKind.HOLIDAY
            self._names[day] = name
        for day, name in schedule.makeup_workdays.items():
            kinds[day.toordinal() - self._first] = DayKind.MAKEUP_WORKDAY
            self._names[day] = name

    def _index_working_days(self, first: dt.date) -> None:
        # _cumulative[i]: working days from the table's first day up to and including day i, offset
        # so that it continues the Monday–Friday count used before the table.
        self._base = _weekday_count(first - dt.timedelta(1))
        cumulative = list(accumulate(self._flags, initial=self._base))[1:]
        count = cumulative[-1] if cumulative else self._base
        ordinals = compress(range(self._first, self._first + self._size), self._flags)
        working = list(map(dt.date.fromordinal, ordinals))
        self._cumulative = cumulative
        self._working = working
        self._n_working = len(working)
        # _working[_offsets[i] + n] is the n-th working day after table day i (n >= 1).
        self._offsets = [c - self._base - 1 for c in cumulative]
        self._last_count = count
        self._last = first + dt.timedelta(self._size - 1)

    # -- classification -----------------------------------------------------------------------

    def kind(self, day: dt.date) -> DayKind:
        i = day.toordinal() - self._first
        if 0 <= i < self._size:
            return _KINDS[self._kinds[i]]
        return self._base_kind(day)

    def is_workday(self, day: dt.date) -> bool:
        i = day.toordinal() - self._first
        if 0 <= i < self._size:
            return self._flags[i] == 1
        return day.weekday() < 5

    def is_provisional(self, day: dt.date) -> bool:
        """True when no national schedule covers `day`'s year (spec §7: mark provisional)."""
        return day.year not in self._known_years

    def any_provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when any year from `start` to `end` has no national schedule."""
        return any(year not in self._known_years for year in range(start.year, end.year + 1))

    def explain(self, day: dt.date) -> str:
        """The reason for `day`'s status: the holiday's name, 周末, 调休上班 or 工作日."""
        kind = self.kind(day)
        if kind is DayKind.HOLIDAY:
            return self._names[day]
        if kind is DayKind.MAKEUP_WORKDAY:
            return MAKEUP_REASON
        if kind is DayKind.WEEKEND:
            return WEEKEND_REASON
        return WORKDAY_REASON

    def notable_days(self, start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, DayKind]]:
        """The days in (start, end] that are not ordinary Monday–Friday working days, in order."""
        low, high = start.toordinal() + 1, end.toordinal()
        table_low, table_high = self._first, self._first + self._size - 1
        yield from _weekends(low, min(high, table_low - 1))
        lo = bisect_left(self._notable, max(low, table_low))
        hi = bisect_right(self._notable, min(high, table_high))
        for ordinal in self._notable[lo:hi]:
            yield dt.date.fromordinal(ordinal), _KINDS[self._kinds[ordinal - self._first]]
        yield from _weekends(max(low, table_high + 1), high)

    # -- arithmetic ---------------------------------------------------------------------------

    def ordinal(self, day: dt.date) -> int:
        """Running count of working days up to and including `day`; only differences matter."""
        i = day.toordinal() - self._first
        if i < 0:
            return _weekday_count(day)
        if i < self._size:
            return self._cumulative[i]
        return self._last_count + _weekday_count(day) - _weekday_count(self._last)

    def nth_workday(self, count: int) -> dt.date:
        """The working day whose `ordinal` is `count` (inverse of `ordinal` on working days)."""
        if count <= self._base:
            return _nth_weekday(count)
        if count <= self._last_count:
            return self._working[count - self._base - 1]
        return _nth_weekday(count - self._last_count + _weekday_count(self._last))

    def add_workdays(self, start: dt.date, n: int, *, roll_forward: bool = False) -> dt.date:
        """The n-th working day after `start`; `start` itself is not counted.

        With `roll_forward`, a rest day `start` is first moved to the next working day (which is
        then not counted either): the receipt convention of `deadlines`, fused here because this
        is the hot path. `add_workdays(d, 0)` is `d`.
        """
        i = start.toordinal() - self._first
        if n > 0 and 0 <= i < self._size:
            j = self._offsets[i] + n
            if roll_forward and not self._flags[i]:
                j += 1
            if j < self._n_working:
                return self._working[j]
        if n < 0:
            raise ValueError("n must be >= 0")
        if roll_forward and not self.is_workday(start):
            return self.nth_workday(self.ordinal(start) + 1 + n)
        return start if n == 0 else self.nth_workday(self.ordinal(start) + n)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when `end` is before `start`."""
        return self.ordinal(end) - self.ordinal(start)


# -- data sources ---------------------------------------------------------------------------------


def chinesecalendar_schedules() -> tuple[Schedule, ...]:
    """National schedules for the years the `chinesecalendar` package knows (2004–2026)."""
    from chinese_calendar import constants

    holidays: dict[int, dict[dt.date, str]] = {}
    makeups: dict[int, dict[dt.date, str]] = {}
    for day, name in constants.holidays.items():
        holidays.setdefault(day.year, {})[day] = _CHINESECALENDAR_NAMES.get(name, str(name))
    for day, name in constants.workdays.items():
        makeups.setdefault(day.year, {})[day] = _CHINESECALENDAR_NAMES.get(name, str(name))
    years = sorted(set(holidays) | set(makeups))
    return tuple(
        Schedule(year, CHINESECALENDAR_SOURCE, holidays.get(year, {}), makeups.get(year, {}))
        for year in years
    )


def load_schedule(path: Path) -> Schedule:
    """Read one schedule file (format: `calendar_data/README.md`)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CalendarDataError(f"{path.name}：不是有效的 TOML 文件（{exc}）") from exc
    return parse_schedule(data, origin=path.name)


def parse_schedule(data: Mapping[str, Any], *, origin: str = "节假日数据") -> Schedule:
    """Validate a schedule record (parsed TOML, or a database row shaped the same way)."""
    year = _require(data, "year", int, origin)
    source = _require(data, "source", str, origin).strip()
    if not source:
        raise CalendarDataError(f"{origin}：source 不能为空，须注明通知名称和文号")
    region = data.get("region")
    if region is not None and (not isinstance(region, str) or not region.strip()):
        raise CalendarDataError(f"{origin}：region 须为地区名称")
    holidays: dict[dt.date, str] = {}
    makeups: dict[dt.date, str] = {}
    for block in data.get("holiday", []):
        _read_block(block, year, origin, holidays, makeups)
    return Schedule(year, source, holidays, makeups, region)


def _read_block(
    block: Mapping[str, Any],
    year: int,
    origin: str,
    holidays: dict[dt.date, str],
    makeups: dict[dt.date, str],
) -> None:
    name = _require(block, "name", str, origin)
    start = _require(block, "start", dt.date, origin)
    end = block.get("end", start)
    if not isinstance(end, dt.date) or end < start:
        raise CalendarDataError(f"{origin}：{name} 的 end 须为不早于 start 的日期")
    for offset in range(end.toordinal() - start.toordinal() + 1):
        holidays[_in_year(start + dt.timedelta(offset), year, origin)] = name
    for day in block.get("makeup_workdays", []):
        if not isinstance(day, dt.date) or day.weekday() < 5:
            raise CalendarDataError(f"{origin}：{name} 的调休上班日 {day} 须为周六或周日")
        if day in holidays:
            raise CalendarDataError(f"{origin}：{day} 不能既放假又上班")
        makeups[_in_year(day, year, origin)] = name


def _in_year(day: dt.date, year: int, origin: str) -> dt.date:
    # A notice may reach into the neighbouring weeks (e.g. a 元旦 block starting on 12-30).
    if not dt.date(year - 1, 12, 1) <= day <= dt.date(year + 1, 1, 31):
        raise CalendarDataError(f"{origin}：日期 {day} 不属于 {year} 年的安排")
    return day


def _require(data: Mapping[str, Any], key: str, kind: type[_T], origin: str) -> _T:
    value = data.get(key)
    excluded = _EXCLUDED_SUBTYPES.get(kind)
    if not isinstance(value, kind) or (excluded is not None and isinstance(value, excluded)):
        raise CalendarDataError(f"{origin}：缺少或无效的字段 {key}")
    return value


def load_schedules(directory: Path) -> tuple[Schedule, ...]:
    """Every `*.toml` schedule in `directory` (not recursive), in file-name order."""
    if not directory.is_dir():
        return ()
    return tuple(load_schedule(path) for path in sorted(directory.glob("*.toml")))


def build_calendar(
    base: Iterable[Schedule],
    overrides: Iterable[Schedule] = (),
    *,
    regions: Iterable[str] = (),
) -> WorkdayCalendar:
    """Combine schedules: a national override replaces the base schedule of its year; local
    schedules are kept only for the requested `regions`."""
    wanted = set(regions)
    national = {s.year: s for s in base if s.region is None}
    local = [s for s in base if s.region in wanted]
    for schedule in overrides:
        if schedule.region is None:
            national[schedule.year] = schedule
        elif schedule.region in wanted:
            local.append(schedule)
    return WorkdayCalendar([*national.values(), *statutory_schedules(national), *local])


# Years after the last published notice that get the law's statutory holidays (provisional).
STATUTORY_YEARS_AHEAD = 10


def statutory_schedules(national: Mapping[int, Schedule]) -> list[Schedule]:
    """For each year without a notice, from the first known year to STATUTORY_YEARS_AHEAD after
    the last: the statutory days off the law fixes (docs/decisions.md H-1)."""
    from gongkai.domain.holidays import holiday_law  # it builds Schedules: imported late

    published = {year for year, s in national.items() if not s.provisional}
    if not published:
        return []
    years = range(min(published), max(published) + STATUTORY_YEARS_AHEAD + 1)
    law = holiday_law()
    return [law.schedule(year) for year in years if year not in published]


@lru_cache(maxsize=8)
def default_calendar(regions: tuple[str, ...] = ()) -> WorkdayCalendar:
    """chinesecalendar (2004–2026) + the repository's `calendar_data/` files (+ local ones)."""
    overrides = load_schedules(DATA_DIR) + load_schedules(LOCAL_DATA_DIR)
    return build_calendar(chinesecalendar_schedules(), overrides, regions=regions)
