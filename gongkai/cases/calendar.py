"""The working-day calendar of an organisation: the national schedules plus the overrides an
administrator keeps in the database (a year not yet in the package, a local holiday)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from django.db.models import Q

from gongkai.accounts.models import Organisation
from gongkai.cases.models import WorkdayOverride
from gongkai.domain.workdays import (
    DATA_DIR,
    Schedule,
    WorkdayCalendar,
    build_calendar,
    chinesecalendar_schedules,
    load_schedules,
)

OverrideRow = tuple[dt.date, str, str, str, str | None]


def calendar_for(organisation: Organisation | None) -> WorkdayCalendar:
    regions = _regions(organisation)
    rows = tuple(
        WorkdayOverride.objects.filter(
            Q(organisation__code__in=regions) | Q(organisation__isnull=True)
        )
        .order_by("date", "id")
        .values_list("date", "kind", "name", "source", "organisation__code")
    )
    return _calendar(rows, regions)


def _regions(organisation: Organisation | None) -> tuple[str, ...]:
    codes: list[str] = []
    while organisation is not None:
        codes.append(organisation.code)
        organisation = organisation.parent
    return tuple(codes)


@lru_cache(maxsize=32)
def _calendar(rows: tuple[OverrideRow, ...], regions: tuple[str, ...]) -> WorkdayCalendar:
    return build_calendar(
        chinesecalendar_schedules() + load_schedules(DATA_DIR), _schedules(rows), regions=regions
    )


def _schedules(rows: tuple[OverrideRow, ...]) -> list[Schedule]:
    """Database rows grouped into one schedule per (year, region)."""
    grouped: dict[tuple[int, str | None], list[OverrideRow]] = defaultdict(list)
    for row in rows:
        grouped[(row[0].year, row[4])].append(row)
    schedules = []
    for (year, region), items in grouped.items():
        holidays = {d: name for d, kind, name, _, _ in items if kind == "holiday"}
        makeups = {d: name for d, kind, name, _, _ in items if kind == "workday"}
        source = "；".join(sorted({source for *_, source, _ in items}))
        schedules.append(Schedule(year, source, holidays, makeups, region))
    return schedules


def calendars_for(organisations: Sequence[Organisation]) -> dict[int, WorkdayCalendar]:
    """Each organisation's calendar (`calendar_for`) by id, built once per distinct one.

    An organisation's calendar differs from another's only through the local schedules and
    overrides of the organisations on its path to the root; those whose paths hold the same such
    organisations share one calendar, so 200 departments without local holidays cost one
    calendar instead of 200 (about 14 ms each). Used by every page and report over many
    organisations (supervision's statistics, 督办, 考核, reminders)."""
    if not organisations:
        return {}
    local = {s.region for s in chinesecalendar_schedules() + load_schedules(DATA_DIR) if s.region}
    local |= set(
        WorkdayOverride.objects.filter(organisation__isnull=False).values_list(
            "organisation__code", flat=True
        )
    )
    tree = {pk: (code, parent) for pk, code, parent in
            Organisation.objects.values_list("id", "code", "parent_id")}  # fmt: skip
    shared: dict[tuple[str, ...], WorkdayCalendar] = {}
    result = {}
    for org in organisations:
        path: list[str] = []
        current: int | None = org.id
        while current is not None and current in tree:
            code, current = tree[current]
            if code in local:
                path.append(code)
        key = tuple(path)
        if key not in shared:
            shared[key] = calendar_for(org)
        result[org.id] = shared[key]
    return result
