"""Tables 三 and 四 counted by the database (gongkai.reports.tables) against the records' build
of the domain, the reference: on random histories (hypothesis), cell by cell with the records
behind each cell and their pages, and the cache of table 三 against changes to the records."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.test import TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application
from gongkai.domain.lifecycle import Status
from gongkai.domain.report import build as domain
from gongkai.domain.report.schema import FormatVersion, layout
from gongkai.reports.models import Appeal
from gongkai.reports.tables import (
    cached_tables,
    keyset_page,
    parse_cursor,
    t3_cell_applications,
    t4_cell_appeals,
    tables_of,
)

D = dt.date
_sequence = itertools.count(1)
LEAVES_2021 = [row.key for row in layout(FormatVersion.V2021).t3_leaves]
# Voided and never-received applications are in the ledger but not in the report.
NOT_COUNTED = {Status.VOIDED, Status.SUBMITTED, Status.NOT_ACCEPTED}
STATUSES = [Status.PROCESSING, Status.CLOSED, *sorted(NOT_COUNTED)]


def make_organisation(code: str) -> Organisation:
    return Organisation.objects.create(code=code, name=f"{code}办公室", kind="department")


def make_application(organisation: Organisation, item: dict[str, Any]) -> Application:
    n = next(_sequence)
    return Application.objects.create(
        organisation=organisation,
        year=item["received"].year,
        sequence=n,
        tracking_no=f"S{n:08d}",
        status=item["status"],
        applicant_type=item["applicant_type"],
        applicant_name="张三",
        id_type="resident_id",
        id_number="11010519491231002X",
        channel="online",
        received_on=item["received"],
        content="请公开某文件",
        outcome=item["outcome"],
        concluded_on=item["concluded"],
    )


def make_appeal(organisation: Organisation, item: dict[str, Any]) -> Appeal:
    return Appeal.objects.create(
        organisation=organisation,
        kind=item["kind"],
        case_number=f"复{next(_sequence)}",
        body="某市人民政府",
        filed_on=item["filed"],
        result=item["result"],
        decided_on=item["decided"],
    )


# The periods' first and last days and their neighbours: where an off-by-one would show.
EDGES = [D(y, 1, 1) + dt.timedelta(days=d) for y in (2020, 2021, 2024, 2025) for d in (-1, 0)]
day = st.one_of(
    st.dates(min_value=D(2019, 11, 1), max_value=D(2025, 2, 28)), st.sampled_from(EDGES)
)


def later(first: dt.date) -> st.SearchStrategy[dt.date]:
    """A day on or after `first`, often a period's edge."""
    edges = [e for e in EDGES if e >= first]
    anyday = st.dates(min_value=first, max_value=D(2025, 3, 31))
    return st.one_of(anyday, st.sampled_from(edges)) if edges else anyday


@st.composite
def applications(draw: st.DrawFn) -> dict[str, Any]:
    received = draw(day)
    concluded = draw(st.one_of(st.none(), later(received)))
    return {
        "org": draw(st.sampled_from([0, 1])),
        "received": received,
        "concluded": concluded,
        "outcome": draw(st.sampled_from(LEAVES_2021)) if concluded else "",
        "applicant_type": draw(st.sampled_from(domain.COLUMNS6)),
        "status": draw(st.sampled_from(STATUSES)),
    }


@st.composite
def appeals(draw: st.DrawFn) -> dict[str, Any]:
    filed = draw(day)
    decided = draw(st.one_of(st.none(), later(filed)))
    return {
        "org": draw(st.sampled_from([0, 1])),
        "kind": draw(st.sampled_from(domain.T4_GROUPS)),
        "filed": filed,
        "decided": decided,
        "result": draw(st.sampled_from(["upheld", "corrected", "other"])) if decided else "",
    }


@st.composite
def periods(draw: st.DrawFn) -> tuple[dt.date, dt.date, FormatVersion]:
    """A year in its format (2020: the 2019 format folds the three （六） rows), or any span."""
    kind = draw(st.sampled_from(["2024", "2020", "span"]))
    if kind == "2024":
        return D(2024, 1, 1), D(2024, 12, 31), FormatVersion.V2021
    if kind == "2020":
        return D(2020, 1, 1), D(2020, 12, 31), FormatVersion.V2019
    start = draw(day)
    end = draw(later(start))
    return start, end, FormatVersion.V2021


def reference(
    created: list[tuple[Application, dict[str, Any]]], start: dt.date, end: dt.date, v: Any
) -> domain.Members:
    """The domain's build from the generated facts, filtered here by the report's own words
    (voided and unreceived are not counted), not by the code under test."""
    records = [
        domain.CaseRecord(
            a.pk, i["applicant_type"], i["received"], i["concluded"], i["outcome"] or None
        )
        for a, i in created
        if i["status"] not in NOT_COUNTED
    ]
    return domain.table3_members_between(records, start, end, v)


def walk(query: Any, date_field: str, size: int) -> list[int]:
    """Every page of a cell by its cursor, through the text the page links carry."""
    ids: list[int] = []
    after = None
    while True:
        page = keyset_page(query, date_field, after, size=size)
        ids += [row.pk for row in page.rows]
        if page.next_cursor is None:
            return ids
        after = parse_cursor(page.next_cursor)


class RandomHistoryTests(HypothesisTestCase):
    """The database's tables equal the domain's build for any history, cell by cell, and each
    cell's records are exactly the build's members for it."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(applications(), max_size=14),
        st.lists(appeals(), max_size=6),
        periods(),
        st.integers(1, 4),
    )
    def test_sql_tables_equal_the_domain_build(
        self,
        history: list[dict[str, Any]],
        appeal_history: list[dict[str, Any]],
        period: tuple[dt.date, dt.date, FormatVersion],
        page_size: int,
    ) -> None:
        start, end, version = period
        orgs = [make_organisation("SQLA"), make_organisation("SQLB")]
        created = [(make_application(orgs[i["org"]], i), i) for i in history]
        filed = [(make_appeal(orgs[i["org"]], i), i) for i in appeal_history]
        tables = tables_of([o.pk for o in orgs], start, end, version)
        for index, org in enumerate(orgs):
            mine = [(a, i) for a, i in created if i["org"] == index]
            members = reference(mine, start, end, version)
            self.assertEqual(tables[org.pk].t3, domain.table3(members, version))
            self.assertEqual(cached_tables(org.pk, start, end, version).t3, tables[org.pk].t3)
            appeal_members = domain.table4_members_between(
                [
                    domain.AppealRecord(a.pk, i["kind"], i["filed"], i["result"] or None,
                                        i["decided"])
                    for a, i in filed
                    if i["org"] == index
                ],
                start,
                end,
            )  # fmt: skip
            self.assertEqual(tables[org.pk].t4, domain.table4(appeal_members))
            self.assert_cells(org, start, end, version, members, appeal_members, page_size)

    def assert_cells(
        self,
        org: Organisation,
        start: dt.date,
        end: dt.date,
        version: FormatVersion,
        members: domain.Members,
        appeal_members: domain.Members,
        page_size: int,
    ) -> None:
        received = dict(Application.objects.values_list("id", "received_on"))
        for (row, column), ids in members.items():
            query = t3_cell_applications(org.pk, start, end, row, column, version)
            walked = walk(query, "received_on", page_size)
            self.assertEqual(walked, sorted(ids, key=lambda i: (received[i], i)), (row, column))
            self.assertEqual(query.count(), len(ids))
        filed_on = dict(Appeal.objects.values_list("id", "filed_on"))
        for (group, column), ids in appeal_members.items():
            appeals = t4_cell_appeals(org.pk, start, end, group, column)
            walked = walk(appeals, "filed_on", page_size)
            self.assertEqual(walked, sorted(ids, key=lambda i: (filed_on[i], i)), (group, column))


class RecordErrorTests(TestCase):
    """A record the table cannot count is named as the records' build names it."""

    def setUp(self) -> None:
        self.org = make_organisation("SQLE")
        self.good = {"received": D(2024, 3, 1), "concluded": None, "outcome": "",
                     "applicant_type": "natural", "status": Status.PROCESSING}  # fmt: skip

    def assert_refused(self, bad: dict[str, Any], message: str) -> None:
        make_application(self.org, self.good)
        app = make_application(self.org, {**self.good, **bad})
        with self.assertRaisesRegex(domain.RecordError, message) as caught:
            tables_of([self.org.pk], D(2024, 1, 1), D(2024, 12, 31))
        self.assertEqual(caught.exception.record_id, app.pk)

    def test_an_unknown_applicant_type(self) -> None:
        self.assert_refused({"applicant_type": "alien"}, "无法对应表三的列")

    def test_a_conclusion_before_receipt(self) -> None:
        self.assert_refused({"concluded": D(2024, 2, 1), "outcome": "r_open"}, "早于")

    def test_a_conclusion_without_outcome_even_after_the_year(self) -> None:
        self.assert_refused({"concluded": D(2025, 2, 1), "outcome": ""}, "无法对应表三的行")

    def test_an_appeal_decided_without_result(self) -> None:
        make_appeal(self.org, {"kind": "review", "filed": D(2024, 1, 5), "result": "",
                               "decided": D(2024, 5, 1)})  # fmt: skip
        appeal = make_appeal(self.org, {"kind": "review", "filed": D(2024, 1, 6), "result": "",
                                        "decided": D(2024, 6, 1)})  # fmt: skip
        with self.assertRaises(domain.RecordError) as caught:
            tables_of([self.org.pk], D(2024, 1, 1), D(2024, 12, 31))
        self.assertIn(caught.exception.record_id, {appeal.pk, appeal.pk - 1})


class CacheTests(TestCase):
    """Table 三 comes from the cache until one of the organisation's applications changes."""

    YEAR = (D(2024, 1, 1), D(2024, 12, 31))

    def setUp(self) -> None:
        self.org = make_organisation("SQLC")
        self.other = make_organisation("SQLD")
        self.item = {"received": D(2024, 3, 1), "concluded": None, "outcome": "",
                     "applicant_type": "natural", "status": Status.PROCESSING}  # fmt: skip
        self.app = make_application(self.org, self.item)

    def new(self) -> int:
        return int(cached_tables(self.org.pk, *self.YEAR).t3["new"][6].as_number)

    def test_a_change_that_bypasses_the_model_is_not_seen_so_the_table_is_cached(self) -> None:
        self.assertEqual(self.new(), 1)
        # QuerySet.update sends no signal and leaves updated_at: only the cache explains 1.
        Application.objects.filter(pk=self.app.pk).update(status=Status.VOIDED)
        self.assertEqual(self.new(), 1)
        self.assertEqual(tables_of([self.org.pk], *self.YEAR)[self.org.pk].t3["new"][6].value, 0)

    def test_saving_an_application_invalidates_the_table(self) -> None:
        self.assertEqual(self.new(), 1)
        with self.captureOnCommitCallbacks(execute=True):
            self.app.status = Status.VOIDED
            self.app.save(update_fields=["status", "updated_at"])
        self.assertEqual(self.new(), 0)

    def test_a_new_application_invalidates_the_table(self) -> None:
        self.assertEqual(self.new(), 1)
        with self.captureOnCommitCallbacks(execute=True):
            make_application(self.org, self.item)
        self.assertEqual(self.new(), 2)

    def test_a_bulk_insert_without_signals_invalidates_it_by_its_time(self) -> None:
        self.assertEqual(self.new(), 1)
        copy = Application.objects.get(pk=self.app.pk)
        copy.pk, copy.sequence, copy.tracking_no = None, 999, "S-BULK"
        Application.objects.bulk_create([copy])  # no post_save: updated_at alone moves
        self.assertEqual(self.new(), 2)

    def test_deleting_an_application_invalidates_the_table(self) -> None:
        make_application(self.org, self.item)
        self.assertEqual(self.new(), 2)
        with self.captureOnCommitCallbacks(execute=True):
            self.app.delete()
        self.assertEqual(self.new(), 1)

    def test_another_organisation_s_change_keeps_the_table(self) -> None:
        self.assertEqual(self.new(), 1)
        Application.objects.filter(pk=self.app.pk).update(status=Status.VOIDED)
        with self.captureOnCommitCallbacks(execute=True):
            make_application(self.other, self.item)
        self.assertEqual(self.new(), 1)
