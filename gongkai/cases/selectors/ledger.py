"""台账: filtered, sorted pages by keyset pagination, fast at a million rows."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.accounts.access import User, readable_organisation_ids
from gongkai.cases.access import applications_in
from gongkai.cases.keyset import per_organisation
from gongkai.cases.models import Application
from gongkai.cases.search import search
from gongkai.cases.selectors.common import Calendars, CaseRow, with_organisation

LEDGER_PAGE_SIZE = 50


# The 台账 says how many applications match, exactly up to this many; beyond it "10000件以上": an
# exact count of a province's million rows would cost a scan on every page.
LEDGER_COUNT_CAP = 10_000
# A search's matches are counted up to this many: counting a common word's 10,000 matches took
# 100–230 ms at a million rows, a thousand a tenth of that (docs/decisions.md LS-2).
SEARCH_COUNT_CAP = 1_000


@dataclass(frozen=True)
class LedgerPage:
    rows: list[CaseRow]
    next_cursor: str | None
    prev_cursor: str | None
    sort: str
    total: int = 0  # matching applications, counted up to LEDGER_COUNT_CAP + 1
    total_capped: bool = False  # more than `cap`
    cap: int = LEDGER_COUNT_CAP

    @property
    def total_text(self) -> str:
        return f"{self.cap}件以上" if self.total_capped else f"{self.total}件"


def ledger_page(
    user: User,
    filters: dict[str, Any],
    *,
    sort: str = "-received_on",
    after: str = "",
    before: str = "",
    today: dt.date,
    page_size: int | None = None,
) -> LedgerPage:
    """One page of the 台账 by keyset pagination on (sort field, id): the page after (or before)
    a cursor, page_size + 1 rows fetched to know whether another page follows. No OFFSET, and the
    total is counted only up to LEDGER_COUNT_CAP (a COUNT over a LIMITed subquery), so that a page
    costs the same at row 1 and at row 1,000,000."""
    page_size = page_size or LEDGER_PAGE_SIZE
    name, descending = sort.lstrip("-"), sort.startswith("-")
    nullable = Application._meta.get_field(name).null
    backward = bool(before) and not after
    cursor = _decode_cursor(before if backward else after, name, nullable)
    organisations = readable_organisation_ids(user)
    unsearched = with_organisation(
        filter_applications(applications_in(organisations), {**filters, "q": ""})
    )
    keyword = (filters.get("q") or "").strip()
    queryset = search(unsearched, keyword, organisations)  # the probe chooses the plan
    walk = _Walk(name, descending != backward, nullable, nulls_first=backward)
    fetched = walk.rows(queryset, cursor, page_size + 1, organisations)
    more, page = len(fetched) > page_size, fetched[:page_size]
    if backward:
        page.reverse()
    cap = SEARCH_COUNT_CAP if keyword else LEDGER_COUNT_CAP
    total = queryset.order_by()[: cap + 1].count()
    calendars = Calendars()
    has_next = True if backward else more
    has_prev = more if backward else cursor is not None
    return LedgerPage(
        rows=[_ledger_row(app, calendars, today) for app in page],
        next_cursor=_encode_cursor(page[-1], name) if page and has_next else None,
        prev_cursor=_encode_cursor(page[0], name) if page and has_prev else None,
        sort=sort,
        total=min(total, cap),
        total_capped=total > cap,
        cap=cap,
    )


def _ledger_row(application: Application, calendars: Calendars, today: dt.date) -> CaseRow:
    due = application.due_on if application.status_enum.is_open else None
    return CaseRow(application, calendars.remaining(application.organisation, due, today))


def filter_applications(
    queryset: QuerySet[Application], filters: dict[str, Any]
) -> QuerySet[Application]:
    """The ledger's filters (LedgerFilterForm.filters()), shared with the .xlsx export."""
    exact = ("status", "outcome", "applicant_type", "channel")
    queryset = queryset.filter(**{name: filters[name] for name in exact if filters.get(name)})
    if filters.get("received_from"):
        queryset = queryset.filter(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        queryset = queryset.filter(received_on__lte=filters["received_to"])
    return search(queryset, filters.get("q") or "")


@dataclass(frozen=True)
class _Walk:
    """The ledger's order, walked from a cursor. Rows with a value come first, ordered on
    (field, id); the rows without one (no reply deadline) follow, ordered on id; walking backward
    reverses both. Each part is one plain index range (no NULLS LAST, no OR with IS NULL), so that
    the database seeks straight to the cursor."""

    field: str
    descending: bool
    nullable: bool
    nulls_first: bool

    def rows(
        self,
        queryset: QuerySet[Application],
        cursor: Cursor | None,
        limit: int,
        organisations: set[int],
    ) -> list[Any]:
        parts = [False, True] if self.nullable else [False]  # True: the part without a value
        if self.nulls_first:
            parts.reverse()
        if cursor is not None:
            parts = parts[parts.index(cursor[0] is None) :]
        rows: list[Application] = []
        for i, nulls in enumerate(parts):
            part = self._part(queryset, nulls)
            if i == 0 and cursor is not None:
                part = part.filter(self._after(nulls, *cursor))
            wanted = limit - len(rows)
            rows += per_organisation(part, organisations, wanted)[:wanted]
            if len(rows) >= limit:
                break
        return rows

    def _part(self, queryset: QuerySet[Application], nulls: bool) -> QuerySet[Application]:
        sign = "-" if self.descending else ""
        if nulls:
            return queryset.filter(**{f"{self.field}__isnull": True}).order_by(f"{sign}id")
        if self.nullable:
            queryset = queryset.filter(**{f"{self.field}__isnull": False})
        return queryset.order_by(f"{sign}{self.field}", f"{sign}id")

    def _after(self, nulls: bool, value: Any, pk: int) -> Q:
        op = "lt" if self.descending else "gt"
        later_id = Q(**{f"id__{op}": pk})
        if nulls:
            return later_id
        # The redundant bound (field <= value going down) lets the database seek in the index.
        bound = Q(**{f"{self.field}__{op}e": value})
        return bound & (Q(**{f"{self.field}__{op}": value}) | (Q(**{self.field: value}) & later_id))


Cursor = tuple[Any, int]


def _encode_cursor(application: Application, name: str) -> str:
    value = getattr(application, name)
    if isinstance(value, dt.date):
        value = value.isoformat()
    raw = json.dumps([value, application.pk], ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str, name: str, nullable: bool) -> Cursor | None:
    """(value, id) from a cursor; None for a missing or malformed one (the first page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if value is None:
            return (None, int(pk)) if nullable else None
        if not isinstance(value, str):
            return None
        if name in {"received_on", "due_on"}:
            value = dt.date.fromisoformat(value)
        return (value, int(pk))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        return None
