"""Importing checked rows in one transaction, through the services; and the round trip."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.accounts.models import Membership
from gongkai.cases.ledger import (
    RowReport,
    export_ledger,
    guess_mapping,
    import_rows,
    read_ledger,
    validate_rows,
)
from gongkai.cases.models import Application
from gongkai.cases.services import (
    IMPORT,
    LedgerConclusion,
    ServiceError,
    application_import_conclusion,
    application_reply,
    application_withdraw,
)
from gongkai.domain.identity import mask_phone
from gongkai.domain.lifecycle import Role
from gongkai.test import BaseTestCase
from tests.ledger.workbooks import TODAY, row, xlsx


class ImportTests(BaseTestCase):
    def reports(self, *rows: list[Any]) -> list[RowReport]:
        sheet = read_ledger(xlsx(rows))
        return validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)

    def run_import(
        self, reports: list[RowReport], *, only_valid: bool = False, actor: Any = None
    ) -> Any:
        return import_rows(
            actor=actor or self.reviewer, organisation=self.office, rows=reports,
            only_valid=only_valid, source="2025台账.xlsx", today=TODAY,
        )  # fmt: skip

    def three_rows_one_bad(self) -> list[RowReport]:
        return self.reports(
            row(1, name="甲", received=dt.date(2025, 3, 5)),
            row(2, name="乙", kind="外星人"),
            row(3, name="丙", received=dt.date(2025, 3, 4), replied=dt.date(2025, 3, 20), outcome="予以公开"),
        )  # fmt: skip

    def test_one_bad_row_imports_nothing(self) -> None:
        with pytest.raises(ServiceError, match="有1行未通过检查（第3行），没有导入任何数据"):
            self.run_import(self.three_rows_one_bad())
        assert not Application.objects.exists()

    def test_only_valid_imports_exactly_the_valid_rows_in_the_order_received(self) -> None:
        result = self.run_import(self.three_rows_one_bad(), only_valid=True)
        assert [(n, a.applicant_name, a.tracking_no) for n, a in result.imported] == [
            (4, "丙", "WCBGS-2025-0001"),
            (2, "甲", "WCBGS-2025-0002"),
        ]
        assert result.skipped == (3,)
        assert result.concluded == 1
        assert Application.objects.count() == 2

    def test_an_open_row_is_registered_with_its_source_on_the_timeline(self) -> None:
        (report,) = self.reports(row(1))
        ((_, app),) = self.run_import([report], actor=self.clerk).imported
        assert (app.status, app.channel, app.applicant_type) == ("registered", "online", "natural")
        assert app.id_number == "11010519491231002X" and app.id_type == "resident_id"
        assert app.due_on == dt.date(2025, 3, 31)
        assert [e.action for e in app.events.order_by("id")] == ["register", IMPORT]
        event = app.events.get(action=IMPORT)
        assert event.date == dt.date(2025, 3, 3)
        assert event.note.startswith("从台账《2025台账.xlsx》第2行导入")
        assert event.data == {"source": "2025台账.xlsx", "row": 2, "source_no": ""}
        assert event.actor == self.clerk

    def test_a_concluded_row_is_concluded_as_the_ledger_says(self) -> None:
        (report,) = self.reports(row(1, replied=dt.date(2025, 3, 20), outcome="不予公开-国家秘密"))
        ((_, app),) = self.run_import([report]).imported
        assert (app.status, app.outcome, app.concluded_on) == (
            "replied",
            "r_deny_secret",
            dt.date(2025, 3, 20),
        )
        assert "第十四条" in app.legal_basis
        event = app.events.get(action=IMPORT)
        assert event.date == dt.date(2025, 3, 20)
        assert event.data["outcome"] == "r_deny_secret" and event.data["replied"] is True
        assert "台账载明2025-03-20办结：不予公开：属于国家秘密" in event.note
        # No review step that never happened here:
        assert set(app.events.values_list("action", flat=True)) == {"register", IMPORT}

    def test_a_clerk_cannot_import_concluded_rows(self) -> None:
        reports = self.three_rows_one_bad()
        with pytest.raises(ServiceError, match="需要审核人或管理员角色") as caught:
            self.run_import(reports, only_valid=True, actor=self.clerk)
        assert caught.value.kind == "forbidden"
        assert not Application.objects.exists()

    def test_a_user_of_another_organisation_imports_nothing(self) -> None:
        (report,) = self.reports(row(1))
        with pytest.raises(ServiceError, match="没有登记申请的权限"):
            self.run_import([report], actor=self.outsider)

    def test_a_refusal_in_the_middle_rolls_everything_back(self) -> None:
        reports = self.reports(row(1, name="甲"), row(2, name="乙"))
        # The second row's date passes the check but the service refuses it (checked "today" later).
        late = dt.date(2025, 3, 5)
        with pytest.raises(ServiceError, match="第3行：收到申请日期不能晚于今天"):
            import_rows(
                actor=self.reviewer, organisation=self.office, rows=[*reports[:1], _moved(reports[1])],
                only_valid=False, today=late,
            )  # fmt: skip
        assert not Application.objects.exists()

    def test_no_valid_row_is_refused(self) -> None:
        reports = self.reports(row(1, kind="外星人"))
        with pytest.raises(ServiceError, match="没有可以导入的有效行"):
            self.run_import(reports, only_valid=True)

    def test_round_trip_into_another_organisation(self) -> None:
        concluded = self.register(
            received_on=dt.date(2025, 3, 3), name="王五", applicant_type="legal"
        )
        application_reply(
            actor=self.reviewer, application=concluded, on=dt.date(2025, 3, 25),
            outcome_key="r_na_notheld", today=dt.date(2025, 3, 25),
        )  # fmt: skip
        withdrawn = self.register(received_on=dt.date(2025, 3, 4), name="赵六")
        application_withdraw(
            actor=self.clerk,
            application=withdrawn,
            on=dt.date(2025, 3, 6),
            today=dt.date(2025, 3, 6),
        )
        self.register(received_on=dt.date(2025, 3, 5), name="钱七", applicant_type="biz")
        data = export_ledger(Application.objects.filter(organisation=self.office), title="台账")
        Membership.objects.create(user=self.outsider, organisation=self.other, role=Role.REVIEWER)

        sheet = read_ledger(data)
        reports = validate_rows(sheet, guess_mapping(sheet.headers), self.other, today=TODAY)
        assert all(r.ok for r in reports), [r.problems for r in reports]
        import_rows(
            actor=self.outsider,
            organisation=self.other,
            rows=reports,
            only_valid=False,
            source="x.xlsx",
            today=TODAY,
        )

        def facts(organisation: Any) -> list[tuple[Any, ...]]:
            fields = ("applicant_name", "applicant_type", "channel", "received_on", "content",
                      "phone", "concluded_on", "outcome", "due_on", "status")  # fmt: skip
            return list(organisation.applications.order_by("received_on").values_list(*fields))

        # The export masks phones (decision C-3), so the copy keeps them masked.
        copied = [(*f[:5], mask_phone(f[5]), *f[6:]) for f in facts(self.office)]
        assert facts(self.other) == copied
        assert facts(self.other)[0][5] == "138****0000"
        assert list(self.other.applications.values_list("tracking_no", flat=True).order_by("id")) == [
            "WCCZJ-2025-0001", "WCCZJ-2025-0002", "WCCZJ-2025-0003",
        ]  # fmt: skip
        # Importing the same file again imports nothing twice.
        again = validate_rows(sheet, guess_mapping(sheet.headers), self.other, today=TODAY)
        assert not any(r.ok for r in again)


def _moved(report: RowReport) -> RowReport:
    assert report.row is not None
    from dataclasses import replace

    return replace(report, row=replace(report.row, received_on=dt.date(2025, 3, 10)))


class ImportConclusionServiceTests(BaseTestCase):
    def conclusion(self, **changes: Any) -> LedgerConclusion:
        values: dict[str, Any] = {"outcome": "r_open", "concluded_on": dt.date(2025, 3, 20)}
        return LedgerConclusion(**(values | changes))

    def record(
        self, actor: Any, conclusion: LedgerConclusion | None, app: Any = None
    ) -> Application:
        return application_import_conclusion(
            actor=actor, application=app or self.register(), source="f.xlsx", row=5,
            conclusion=conclusion, today=TODAY,
        )  # fmt: skip

    def test_delivery_and_archive_set_the_status(self) -> None:
        app = self.record(self.reviewer, self.conclusion(delivery_method="mail", extended=True))
        assert (app.status, app.extended) == ("delivered", True)
        assert app.events.get(action=IMPORT).data["method"] == "mail"
        app = self.record(self.admin, self.conclusion(archived_on=dt.date(2025, 4, 1)))
        assert (app.status, app.archived_on) == ("archived", dt.date(2025, 4, 1))

    def test_a_closure_outcome_closes_without_stopping_the_clock_as_a_reply(self) -> None:
        app = self.record(self.reviewer, self.conclusion(outcome="r_other_nocorrect"))
        assert app.status == "closed"
        assert app.events.get(action=IMPORT).data["replied"] is False

    def test_a_conclusion_needs_a_reviewer(self) -> None:
        with pytest.raises(ServiceError, match="没有导入已办结的申请的权限"):
            self.record(self.clerk, self.conclusion())

    def test_it_refuses_an_application_already_worked_on(self) -> None:
        app = self.register()
        application_reply(
            actor=self.reviewer,
            application=app,
            on=dt.date(2025, 3, 5),
            outcome_key="r_open",
            today=TODAY,
        )
        with pytest.raises(ServiceError, match="只能为刚登记、尚未办理的申请记录台账导入"):
            self.record(self.reviewer, self.conclusion(), app)

    def test_it_refuses_dates_out_of_order(self) -> None:
        with pytest.raises(ServiceError, match="不能早于收到申请日期"):
            self.record(self.reviewer, self.conclusion(concluded_on=dt.date(2025, 3, 1)))
        with pytest.raises(ServiceError, match="归档日期"):
            self.record(self.reviewer, self.conclusion(archived_on=dt.date(2025, 3, 10)))
        with pytest.raises(ServiceError, match="答复类型无效"):
            self.record(self.reviewer, self.conclusion(outcome="r_nonsense"))


class ImportPlausibilityTests(BaseTestCase):
    def test_an_imported_full_width_number_is_stored_normalised(self) -> None:
        sheet = read_ledger(xlsx([row(1, id_number="１１０１０５ １９４９１２３１ ００２Ｘ")]))
        reports = validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)
        import_rows(
            actor=self.reviewer, organisation=self.office, rows=reports, only_valid=False,
            source="台账.xlsx", today=TODAY,
        )  # fmt: skip
        assert Application.objects.get().id_number == "11010519491231002X"
