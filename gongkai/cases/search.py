"""The keyword search of the 台账 and of the API: one condition for both.

A keyword finds the applications whose tracking number starts with it, or whose applicant name
or content contains it, ignoring case (Django's `icontains`: UPPER(…) LIKE UPPER('%word%')).
That is the whole meaning, on every database.

On PostgreSQL a GIN index makes it fast for Chinese words of any length (docs/decisions.md
LS-2). The index holds, per application, every character and every pair of neighbouring
characters of its upper-cased applicant name and content (`gk_search_grams`, a function created
by migration 0008; the index is on the function's result, so every way of writing a row — the
services, bulk import, the data generator — keeps it up to date). A word of one character must
be among the row's characters; a longer word's pairs must all be among the row's pairs
(`gk_query_grams`). Every row containing the word passes that test, so the index only narrows
the rows that the exact `icontains` then checks: the answer is the same as without the index.
pg_trgm was not chosen: it extracts nothing from a one- or two-character word, and those are
most Chinese searches (a surname, 征地, 拆迁).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Case, F, Func, Q, QuerySet, Value, When
from django.db.models.sql.compiler import SQLCompiler

from gongkai.cases.keyset import per_organisation
from gongkai.cases.models import Application

# A tracking number (WCBGS-2025-…): a prefix of the unique index, nothing else.
_TRACKING_NO = re.compile(r"^[A-Za-z0-9]+-\d")


class GramsContain(Func):
    """search_grams @> gk_query_grams(keyword): the index's test (PostgreSQL only)."""

    output_field = BooleanField()

    def __init__(self, keyword: str) -> None:
        super().__init__(F("applicant_name"), F("content"), Value(keyword))

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        name, _, keyword = (compiler.compile(e) for e in self.get_source_expressions())
        # The column of the same table (alias) as the applicant name's.
        column = name[0].rsplit(".", 1)[0] + '."search_grams"' if "." in name[0] else "search_grams"
        return f"{column} @> gk_query_grams({keyword[0]})", keyword[1]


# Where at least one row in PROBE_DENSE of the list's first PROBE_ROWS contains the word, the
# list's own order finds a page sooner than the index (see `search`).
PROBE_ROWS = 1000
PROBE_DENSE = 5


def keyword_filter(keyword: str, using: str = "default", *, indexed: bool = True) -> Q:
    """The condition for a stripped, non-empty keyword, on the database alias `using`; on
    PostgreSQL through the grams' index unless `indexed` is False."""
    if _TRACKING_NO.match(keyword):
        return Q(tracking_no__startswith=keyword.upper())
    tracking = Q(tracking_no__istartswith=keyword)  # answered by the index on UPPER(tracking_no)
    exact = tracking | Q(applicant_name__icontains=keyword) | Q(content__icontains=keyword)
    if connections[using].vendor != "postgresql" or not indexed:
        return exact
    return (tracking | Q(GramsContain(keyword))) & exact


def search(
    queryset: QuerySet[Application], keyword: str, organisations: set[int] | None = None
) -> QuerySet[Application]:
    """`queryset` narrowed to the keyword's matches, for a page in the list's order.

    PostgreSQL cannot estimate how many rows hold a word: it takes the pairs' frequencies as
    independent and the LIKE's as a default. Expecting few, it fetches every candidate through
    the index and sorts them: instant for a rare word (a name, a no-match), 0.5–2 s for a word in
    5–10 % of a million rows, which the list's own order would have found within a thousand rows.
    So the first PROBE_ROWS rows of the list (per organisation, by index) are tried first; a
    common word is then searched without the grams, in the list's order. The probe only chooses
    the plan: the rows found are the same either way (docs/decisions.md LS-2). The count is
    taken from the same queryset: the index must build its whole list of a common word's rows
    before the first (80 ms for 100,000), the list's order finds a thousand in a few ms."""
    keyword = keyword.strip()
    if not keyword:
        return queryset
    indexed = True
    if (
        organisations is not None
        and connections[queryset.db].vendor == "postgresql"
        and not _TRACKING_NO.match(keyword)
    ):
        first = per_organisation(
            queryset.order_by("-received_on", "-id"), organisations, PROBE_ROWS
        )
        probe = first.order_by()[: PROBE_ROWS * max(1, len(organisations))].values("pk")
        exact = keyword_filter(keyword, queryset.db, indexed=False)
        found = queryset.filter(pk__in=probe).filter(exact).order_by()[:PROBE_DENSE].count()
        indexed = found < PROBE_DENSE
    if indexed:
        return queryset.filter(keyword_filter(keyword, queryset.db))
    # Common: said so to the planner. A LIKE is estimated at a fraction of a percent, so for each
    # organisation it read all its rows and sorted them (0.4–0.5 s at 100,000) instead of walking
    # the list's index; a CASE is estimated at one half, and the walk stops after a page.
    common = Case(
        When(keyword_filter(keyword, queryset.db, indexed=False), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return queryset.filter(common)
