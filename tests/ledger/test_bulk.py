"""The bulk import is the services' rule (decision IM-1): a row imported in bulk is the same record
as the row registered and concluded through `application_register` and
`application_import_conclusion` one at a time; numbers continue the organisation's counter; the
duplicate check asks for the file's own keys; the queries do not grow with the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.cases.ledger import (
    _conclusion,
    _existing,
    _registration,
    guess_mapping,
    import_rows,
    read_ledger,
    validate_rows,
)
from gongkai.cases.models import Application, Event, LedgerImport, TrackingCounter
from gongkai.cases.services import application_import_conclusion, application_register
from gongkai.test import BaseTestCase
from tests.ledger.workbooks import HEADERS, TODAY, row, xlsx

FULL_HEADERS = [*HEADERS, "送达方式", "归档日期", "是否延期", "通讯地址", "电子邮箱"]
SKIPPED_FIELDS = {"id", "sequence", "tracking_no", "created_at", "updated_at"}


def full(
    n: int, *, delivery: Any = None, archived: Any = None, extended: Any = None,
    address: Any = None, email: Any = None, **values: Any,
) -> list[Any]:  # fmt: skip
    return [*row(n, **values), delivery, archived, extended, address, email]


CASES = {
    "open": full(1, name="甲", address="南阳市宛城区××路1号"),
    "open, e-mail only": full(2, name="乙", phone=None, email="yi@example.cn"),
    "replied, extended, delivered": full(
        3,
        name="丙",
        received=dt.date(2025, 2, 28),
        replied=dt.date(2025, 4, 10),
        outcome="部分公开",
        delivery="邮寄送达",
        extended="是",
    ),
    "archived": full(
        4,
        name="丁",
        replied=dt.date(2025, 3, 20),
        outcome="本机关不掌握",
        delivery="当面送达",
        archived=dt.date(2025, 4, 1),
    ),
    "closure": full(5, name="戊", replied=dt.date(2025, 3, 25), outcome="逾期未补正"),
    "received on a Saturday": full(6, name="己", received=dt.date(2025, 3, 1)),
}


def application_facts(app: Application) -> dict[str, Any]:
    return {
        field.attname: getattr(app, field.attname)
        for field in Application._meta.concrete_fields
        if field.attname not in SKIPPED_FIELDS
    }


def event_facts(app: Application) -> list[tuple[Any, ...]]:
    return list(
        app.events.order_by("id").values_list(
            "action", "date", "actor_id", "actor_name", "note", "data"
        )
    )


class BulkEqualsServiceTests(BaseTestCase):
    def test_every_kind_of_row_is_the_record_the_services_make(self) -> None:
        sheet = read_ledger(xlsx(list(CASES.values()), headers=FULL_HEADERS))
        reports = validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)
        assert all(r.ok for r in reports), [r.problems for r in reports]
        imported = import_rows(
            actor=self.reviewer, organisation=self.office, rows=reports, only_valid=False,
            source="台账.xlsx", today=TODAY,
        ).imported  # fmt: skip
        assert len(imported) == len(CASES)
        for number, bulk in imported:
            report = next(r for r in reports if r.number == number)
            assert report.row is not None
            one = application_register(
                actor=self.reviewer, organisation=self.office, data=_registration(report.row),
                today=TODAY, notify=False,
            )  # fmt: skip
            one = application_import_conclusion(
                actor=self.reviewer, application=one, source="台账.xlsx", row=number,
                source_no=report.row.source_no, conclusion=_conclusion(report.row), today=TODAY,
            )  # fmt: skip
            bulk.refresh_from_db()
            assert application_facts(bulk) == application_facts(one), bulk.applicant_name
            assert event_facts(bulk) == event_facts(one), bulk.applicant_name
        # The cases differ where they should (the comparison is not of empty records):
        statuses = Application.objects.values_list("status", flat=True).distinct()
        assert set(statuses) == {"registered", "delivered", "archived", "closed"}
        assert Application.objects.filter(due_on__isnull=True).count() == 0

    def test_numbers_continue_the_counter_per_year_in_the_order_received(self) -> None:
        self.register(received_on=dt.date(2025, 1, 6))  # WCBGS-2025-0001
        sheet = read_ledger(
            xlsx(
                [
                    row(1, name="甲", received=dt.date(2025, 3, 5)),
                    row(2, name="乙", received=dt.date(2024, 12, 30)),
                    row(3, name="丙", received=dt.date(2025, 3, 4)),
                ]
            )
        )
        reports = validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)
        result = import_rows(
            actor=self.clerk, organisation=self.office, rows=reports, only_valid=False,
            today=TODAY,
        )  # fmt: skip
        assert [(n, a.tracking_no) for n, a in result.imported] == [
            (3, "WCBGS-2024-0001"),
            (4, "WCBGS-2025-0002"),
            (2, "WCBGS-2025-0003"),
        ]
        assert self.register(received_on=dt.date(2025, 3, 6)).tracking_no == "WCBGS-2025-0004"


class BulkQueryTests(BaseTestCase):
    def import_count(self, count: int) -> int:
        rows = [
            row(n, name=f"申请人{n}", received=dt.date(2024, 1, 1) + dt.timedelta(days=n % 300))
            for n in range(count)
        ]
        sheet = read_ledger(xlsx(rows))
        reports = validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)
        with CaptureQueriesContext(connection) as queries:
            import_rows(
                actor=self.reviewer, organisation=self.office, rows=reports, only_valid=False,
                today=TODAY, source=f"{count}.xlsx",
            )  # fmt: skip
        assert Application.objects.count() == count
        Event.objects.all().delete()
        Application.objects.all().delete()
        LedgerImport.objects.all().delete()
        TrackingCounter.objects.all().delete()
        return len(queries)

    def test_the_queries_do_not_grow_with_the_rows(self) -> None:
        # Some 25 queries a row one by one (7,500 for 300 rows); in bulk a fixed few, plus one
        # INSERT per batch (on SQLite a batch is some 30 applications: 999 parameters at most).
        assert self.import_count(10) < 25
        assert self.import_count(300) < 60


class DuplicateCheckTests(BaseTestCase):
    def test_duplicates_in_the_file_and_in_the_records_are_found(self) -> None:
        registered = self.register(received_on=dt.date(2025, 3, 3), name="李四")
        registered.content = "请公开2024年老旧小区改造项目的批复文件"
        registered.save(update_fields=["content"])
        sheet = read_ledger(
            xlsx(
                [
                    row(1, name="李四"),  # the registered application again
                    row(2, name="王五"),
                    row(3, name="王五"),  # row 3 again
                    row(4, name="李四", received=dt.date(2025, 3, 4)),  # another day
                    row(5, name="赵六", content="另一项内容"),
                ]
            )
        )
        reports = validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)
        problems = {r.number: r.problems for r in reports}
        assert problems[2] == (
            f"与已登记的申请 {registered.tracking_no} 重复（申请人、收到日期、申请内容相同），"
            "可能已经导入过",
        )
        assert problems[4] == ("与第3行重复（申请人、收到日期、申请内容相同）",)
        assert [r.number for r in reports if r.ok] == [3, 5, 6]

    def test_only_the_files_own_keys_are_asked_for(self) -> None:
        # An application between the file's dates, of another applicant: the check of the whole
        # date span read it; the set-based check does not ask for it.
        self.register(received_on=dt.date(2025, 2, 1), name="不相干")
        keys = [
            (f"申请人{n}", dt.date(2024, 1, 1) + dt.timedelta(days=n), "内容") for n in range(1200)
        ]
        with CaptureQueriesContext(connection) as queries:
            assert _existing(self.office, keys) == {}
        assert len(queries) == 3  # 1,200 pairs in chunks of 500
        assert all("BETWEEN" not in q["sql"] for q in queries.captured_queries)
        with CaptureQueriesContext(connection) as queries:
            assert _existing(self.office, []) == {}
        assert len(queries) == 0
