"""One page of an ordered list of applications over several organisations, by index seeks.

Every list order has an index that starts with the organisation ((organisation, received_on,
id), (organisation, due_on, id), (organisation, tracking_no, id)). With one organisation the
database walks that index from the cursor and stops after a page. With several,
`organisation_id IN (…) ORDER BY … LIMIT 51` cannot walk one index in order: PostgreSQL reads
every matching row of every organisation and sorts them (1.2–1.6 s at a million rows). So on
PostgreSQL the page is taken per organisation, each one index seek of at most `limit` rows
(CROSS JOIN LATERAL over the organisation ids), and only those k × limit candidates are
sorted (docs/decisions.md LS-1). SQLite, which serves one office, keeps the plain query.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from gongkai.cases.models import Application

# Beyond this many organisations the candidates (organisations × page) outgrow the page so much
# that the plain ordered query is no worse: a province's supervisor reads thousands.
MAX_ORGANISATIONS = 200


def per_organisation(
    queryset: QuerySet[Application], organisation_ids: set[int], limit: int
) -> QuerySet[Application]:
    """`queryset` (filtered and ordered, not yet sliced) narrowed to the first `limit` rows of
    each organisation in its order: the same first `limit` rows overall, found by seeks."""
    vendor = connections[queryset.db].vendor
    if vendor != "postgresql" or not 1 < len(organisation_ids) <= MAX_ORGANISATIONS:
        return queryset
    inner = (
        queryset.filter(organisation_id=RawSQL("gk_orgs.id", ()))
        .select_related(None)
        .values("pk")[:limit]
    )
    sql, params = inner.query.sql_with_params()
    candidates = RawSQL(
        f"SELECT gk_page.id FROM unnest(%s::bigint[]) AS gk_orgs(id) CROSS JOIN LATERAL ({sql}) AS gk_page(id)",
        (sorted(organisation_ids), *params),
    )
    return queryset.filter(pk__in=candidates)
