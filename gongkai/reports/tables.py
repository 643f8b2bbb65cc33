"""Tables 三 and 四 counted by the database, and the records behind one cell.

The database groups the applications (and appeals) active in a period by the few facts the
domain's rule reads (`gongkai.domain.report.build.t3_rows`, `t4_column`) and counts each group;
the domain folds the groups into rows and columns (`table3_from_groups`). The drill-down's query
is generated from the same rule (`t3_cell_filter`). So there is one mapping, kept as data in the
domain, and the records' build (`table3_members_between`) stays as the reference the property
tests compare with (docs/decisions.md SQL-1).

One query a period for any number of organisations; memory is the number of groups (a few
hundred), not the number of applications. Table 三 of one organisation is cached until its
applications change (SQL-2).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, QuerySet

from gongkai.cases.models import Application
from gongkai.domain.lifecycle import UNRECEIVED_STATUSES, Status
from gongkai.domain.report import build as domain
from gongkai.domain.report.model import Cells
from gongkai.domain.report.schema import FormatVersion
from gongkai.reports.models import Appeal

# Kept at most this long even when nothing changed: bounds what a missed change could cost.
CACHE_SECONDS = 3600


def counted_applications(organisation_ids: Iterable[int]) -> QuerySet[Application]:
    """The applications the report may count: all but the voided ones (entered in error, kept in
    the ledger as 已作废; docs/decisions.md I-1) and the internet submissions not received: a
    submission awaiting 签收 or refused at it was never received (条例第三十一条（三）); once
    signed for it counts by its 签收 date, its received_on (docs/decisions.md PA-2)."""
    excluded = [Status.VOIDED, *UNRECEIVED_STATUSES]
    return Application.objects.filter(organisation_id__in=list(organisation_ids)).exclude(
        status__in=excluded
    )


def active_applications(
    organisation_ids: Iterable[int], start: dt.date, end: dt.date
) -> QuerySet[Application]:
    """Counted and active in [start, end]: received by its end, not concluded before it began."""
    return (
        counted_applications(organisation_ids)
        .filter(received_on__lte=end)
        .filter(Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
    )


def _flag(condition: Q) -> ExpressionWrapper[Q]:
    return ExpressionWrapper(condition, output_field=BooleanField())


def t3_groups(
    organisation_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, list[domain.T3Group]]:
    """{organisation id: its groups}: one GROUP BY over the report index (app_org_report)."""
    rows = (
        active_applications(organisation_ids, start, end)
        .annotate(
            carried_in=_flag(Q(received_on__lt=start)),
            concluded=_flag(Q(concluded_on__lte=end)),
            closed=_flag(Q(concluded_on__isnull=False)),
            inverted=_flag(Q(concluded_on__lt=F("received_on"))),
        )
        .order_by()
        .values(
            "organisation_id",
            "carried_in",
            "concluded",
            "closed",
            "inverted",
            "outcome",
            "applicant_type",
        )
        .annotate(n=Count("*"))
        .values_list(
            "organisation_id",
            "carried_in",
            "concluded",
            "closed",
            "inverted",
            "outcome",
            "applicant_type",
            "n",
        )
    )
    groups: defaultdict[int, list[domain.T3Group]] = defaultdict(list)
    for org_id, carried_in, concluded, closed, inverted, outcome, applicant, n in rows:
        # A comparison with NULL is NULL, not false: an open application is not concluded.
        groups[org_id].append(
            domain.T3Group(
                bool(carried_in),
                bool(concluded),
                bool(closed),
                bool(inverted),
                outcome or None,
                applicant,
                n,
            )
        )
    return groups


def active_appeals(
    organisation_ids: Iterable[int], start: dt.date, end: dt.date
) -> QuerySet[Appeal]:
    """Filed by the period's end and not decided before it began (table4_members_between)."""
    return Appeal.objects.filter(
        organisation_id__in=list(organisation_ids), filed_on__lte=end
    ).filter(Q(decided_on__isnull=True) | Q(decided_on__gte=start))


def t4_groups(
    organisation_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, list[domain.T4Group]]:
    rows = (
        active_appeals(organisation_ids, start, end)
        .annotate(decided=_flag(Q(decided_on__lte=end)))
        .order_by()
        .values("organisation_id", "kind", "decided", "result")
        .annotate(n=Count("*"))
        .values_list("organisation_id", "kind", "decided", "result", "n")
    )
    groups: defaultdict[int, list[domain.T4Group]] = defaultdict(list)
    for org_id, kind, decided, result, n in rows:
        groups[org_id].append(domain.T4Group(kind, bool(decided), result or None, n))
    return groups


@dataclass(frozen=True)
class PeriodTables:
    """Tables 三 and 四 of one organisation for a period."""

    t3: dict[str, Cells]
    t4: dict[str, Cells]


def tables_of(
    organisation_ids: Sequence[int],
    start: dt.date,
    end: dt.date,
    version: FormatVersion = FormatVersion.V2021,
) -> dict[int, PeriodTables]:
    """Tables 三 and 四 of several organisations for [start, end]: two queries in all (the
    supervisors' roll-ups). Raises the domain's RecordError for a record that cannot be counted."""
    t3, t4 = t3_groups(organisation_ids, start, end), t4_groups(organisation_ids, start, end)
    return {
        org_id: PeriodTables(
            _fold_t3(org_id, t3.get(org_id, []), start, end, version),
            _fold_t4(org_id, t4.get(org_id, []), start, end),
        )
        for org_id in organisation_ids
    }


def _fold_t3(
    org_id: int, groups: list[domain.T3Group], start: dt.date, end: dt.date, version: FormatVersion
) -> dict[str, Cells]:
    try:
        return domain.table3_from_groups(groups, version)
    except domain.InvalidGroup:
        # Rare (a bad import): the records' build names the record that cannot be counted.
        domain.table3_members_between(case_records(org_id, start, end), start, end, version)
        raise


def _fold_t4(
    org_id: int, groups: list[domain.T4Group], start: dt.date, end: dt.date
) -> dict[str, Cells]:
    try:
        return domain.table4_from_groups(groups)
    except domain.InvalidGroup:
        domain.table4_members_between(appeal_records(org_id, start, end), start, end)
        raise


def case_records(org_id: int, start: dt.date, end: dt.date) -> list[domain.CaseRecord]:
    """The active applications as the domain's records: the reference build's input."""
    rows = active_applications([org_id], start, end).values_list(
        "id", "applicant_type", "received_on", "concluded_on", "outcome"
    )
    return [domain.CaseRecord(i, t, r, c, o or None) for i, t, r, c, o in rows]


def appeal_records(org_id: int, start: dt.date, end: dt.date) -> list[domain.AppealRecord]:
    rows = active_appeals([org_id], start, end).values_list(
        "id", "kind", "filed_on", "result", "decided_on"
    )
    return [domain.AppealRecord(i, k, f, r or None, d) for i, k, f, r, d in rows]


# ---------------------------------------------------------------- cache (docs/decisions.md SQL-2)


def _generation_key(org_id: int) -> str:
    return f"report-tables-generation:{org_id}"


def applications_changed(org_id: int) -> None:
    """After the transaction commits, every cached table of the organisation is stale."""

    def bump() -> None:
        key = _generation_key(org_id)
        # add then incr: incr alone fails on a missing key; both are atomic on shared caches.
        cache.add(key, 0, timeout=None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between the two calls
            cache.set(key, 1, timeout=None)

    transaction.on_commit(bump)


def _stamp(org_id: int) -> str:
    """What changes whenever the organisation's applications do: the generation bumped after
    every save or delete (model signals), and the newest updated_at (bulk inserts skip signals
    but set it). One index probe (app_org_updated) and one cache read."""
    generation = cache.get(_generation_key(org_id), 0)
    newest = Application.objects.filter(organisation_id=org_id).aggregate(m=Max("updated_at"))["m"]
    return f"{generation}:{newest.isoformat() if newest else '-'}"


def cached_tables(
    org_id: int, start: dt.date, end: dt.date, version: FormatVersion = FormatVersion.V2021
) -> PeriodTables:
    """Tables 三 and 四 of one organisation; table 三 from the cache while its applications are
    unchanged. Table 四 is always counted: an appeals register is small (one indexed query)."""
    key = f"report-t3:{org_id}:{start}:{end}:{version.value}:{_stamp(org_id)}"
    t3: dict[str, Cells] | None = cache.get(key)
    if t3 is None:
        t3 = _fold_t3(org_id, t3_groups([org_id], start, end).get(org_id, []), start, end, version)
        cache.set(key, t3, timeout=CACHE_SECONDS)
    t4 = _fold_t4(org_id, t4_groups([org_id], start, end).get(org_id, []), start, end)
    return PeriodTables(t3, t4)


# ---------------------------------------------------------------- one cell's records


def t3_cell_applications(
    organisation_id: int,
    start: dt.date,
    end: dt.date,
    row: str,
    column: str,
    version: FormatVersion = FormatVersion.V2021,
) -> QuerySet[Application]:
    """Exactly the applications one cell of table 三 counts (ValueError: no such cell)."""
    cell = domain.t3_cell_filter(row, column, version)
    query = active_applications([organisation_id], start, end)
    if cell.carried_in is not None:
        query = (
            query.filter(received_on__lt=start)
            if cell.carried_in
            else query.filter(received_on__gte=start)
        )
    if cell.concluded is not None:
        concluded = Q(concluded_on__lte=end)
        query = query.filter(concluded) if cell.concluded else query.exclude(concluded)
    if cell.outcomes is not None:
        query = query.filter(outcome__in=sorted(cell.outcomes))
    if cell.applicant_type is not None:
        query = query.filter(applicant_type=cell.applicant_type)
    return query


def t4_cell_appeals(
    organisation_id: int, start: dt.date, end: dt.date, group: str, column: str
) -> QuerySet[Appeal]:
    """Exactly the appeals one cell of section 四 counts (ValueError: no such cell)."""
    cell = domain.t4_cell_filter(group, column)
    query = active_appeals([organisation_id], start, end).filter(kind=cell.kind)
    if cell.decided is not None:
        decided = Q(decided_on__lte=end)
        query = query.filter(decided) if cell.decided else query.exclude(decided)
    if cell.result is not None:
        query = query.filter(result=cell.result)
    return query


# ---------------------------------------------------------------- pages of a cell

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """One page of a cell's records in the order (date, id), and where the next one starts."""

    rows: list[Any]
    next_cursor: str | None  # "YYYY-MM-DD.id" of the last row when more follow


def parse_cursor(cursor: str) -> tuple[dt.date, int] | None:
    """The (date, id) after which a page starts; None for an empty or malformed cursor."""
    day, _, pk = cursor.partition(".")
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def keyset_page(
    query: QuerySet[Any],
    date_field: str,
    after: tuple[dt.date, int] | None,
    size: int = PAGE_SIZE,
) -> Page:
    """The `size` rows after `after` in the order (date_field, id): a bounded index range, not an
    OFFSET that reads every earlier row."""
    if after is not None:
        day, pk = after
        # (date, id) > (day, pk), with the date's lower bound on its own so that the index
        # range starts at `day` (an OR alone would make PostgreSQL read from the first row).
        query = query.filter(**{f"{date_field}__gte": day}).filter(
            Q(**{f"{date_field}__gt": day}) | Q(id__gt=pk)
        )
    rows = list(query.order_by(date_field, "id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    last = rows[-1] if more else None
    cursor = f"{getattr(last, date_field).isoformat()}.{last.pk}" if last is not None else None
    return Page(list(rows), cursor)
