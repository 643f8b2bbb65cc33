"""The 考核 scorecard computed from records (gongkai/supervision/scorecard.py), its pages, its
.xlsx and `gongkai score`: a hand-built 2025 of the district WCQ, its office WCBGS and its finance
bureau WCCZJ, with every expected deduction worked out by hand below."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.cases.models import Application
from gongkai.cli.main import main as cli
from gongkai.domain.lifecycle import Status
from gongkai.reports.models import Appeal, ProactiveItem
from gongkai.supervision.models import ManualDeduction, PeriodReport, ReportingRule
from gongkai.supervision.scorecard import scorecard
from gongkai.supervision.scorecard_services import (
    custom_indicator_add,
    indicator_override_save,
    manual_deduction_record,
)
from gongkai.test import BaseTestCase
from tests.web.base import freeze_today

D = dt.date
TODAY = D(2025, 12, 20)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


class ScorecardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # 依申请公开 of the office: A replied late, B on time, C open past its deadline, D open
        # within it. Each deadline is the one the services computed at registration.
        cls.a = cls.register(received_on=D(2025, 3, 3), today=D(2025, 3, 3))
        cls.b = cls.register(received_on=D(2025, 3, 4), today=D(2025, 3, 4))
        cls.c = cls.register(received_on=D(2025, 10, 9), today=D(2025, 10, 9))
        cls.d = cls.register(received_on=D(2025, 12, 18), today=D(2025, 12, 18))
        for app, concluded in ((cls.a, D(2025, 6, 30)), (cls.b, D(2025, 3, 10))):
            Application.objects.filter(pk=app.pk).update(
                status=Status.REPLIED, outcome="r_open", concluded_on=concluded
            )
        # The finance bureau lost one 复议 (纠正) and won another (维持).
        for result, number in (("corrected", "宛复〔2025〕1号"), ("upheld", "宛复〔2025〕2号")):
            Appeal.objects.create(
                organisation=cls.other, kind="review", case_number=number, body="宛城区人民政府",
                filed_on=D(2025, 2, 1), result=result, decided_on=D(2025, 5, 1),
            )  # fmt: skip
        # The office's catalogue: one item without 索引号, one published 60 working days late.
        cls.no_index = ProactiveItem.objects.create(
            organisation=cls.office, title="无索引号的通知", published_on=D(2025, 4, 1)
        )
        cls.late = ProactiveItem.objects.create(
            organisation=cls.office, title="迟发的文件", index_no="WCBGS-2025-0001",
            written_on=D(2025, 1, 2), published_on=D(2025, 4, 1),
        )  # fmt: skip
        # The district's records here begin in 2024 (SV-score-4): its 2024 reports are judged.
        cls.first = ProactiveItem.objects.create(
            organisation=cls.office, title="2024年的通知", index_no="WCBGS-2024-0001",
            published_on=D(2024, 6, 3),
        )  # fmt: skip
        # 月报 from October 2025, due the 10th: Oct due 11-10, Nov due 12-10 (both passed by 12-20).
        ReportingRule.objects.create(
            government=cls.district, kind="month", due_day=10, starts_on=D(2025, 10, 1)
        )
        for period, day in (("2025-10", D(2025, 11, 5)), ("2025-11", D(2025, 12, 15))):
            due = D(2025, 11, 10) if period == "2025-10" else D(2025, 12, 10)
            PeriodReport.objects.create(
                organisation=cls.office, period=period, kind="month", due_on=due,
                submitted_at=at(day), submitted_by_name="经办人", data={},
            )  # fmt: skip

    def setUp(self) -> None:
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def card(self):  # type: ignore[no-untyped-def]
        return scorecard(government=self.district, year=2025, today=TODAY)

    def deductions(self, code: str) -> dict[str, tuple[int, set[str]]]:
        row = self.card().row(code)
        assert row is not None
        return {
            d.indicator.key: (d.points, {e.id for e in d.evidence}) for d in row.score.deductions
        }

    def test_the_office_loses_points_for_each_record_with_its_evidence(self) -> None:
        got = self.deductions("WCBGS")
        # A replied late and C overdue: 2 × 6. B on time and D not yet due: nothing.
        self.assertEqual(got["overdue_reply"], (12, {str(self.a.pk), str(self.c.pk)}))
        self.assertEqual(got["item_no_index"], (1, {str(self.no_index.pk)}))
        self.assertEqual(got["item_late"], (5, {str(self.late.pk)}))
        # Its 2024 report (due 2025-01-31) was never published here; its 指南 neither.
        self.assertEqual(got["report_late"][0], 5)
        self.assertEqual(got["guide_stale"][0], 2)
        self.assertEqual(got["periodic_late"], (2, {"2025-11"}))  # October was on time
        self.assertNotIn("periodic_missing", got)

    def test_the_bureau_loses_for_the_lost_appeal_and_the_missing_reports(self) -> None:
        got = self.deductions("WCCZJ")
        self.assertEqual(got["appeal_corrected"][0], 3)
        self.assertEqual(len(got["appeal_corrected"][1]), 1)
        self.assertEqual(got["periodic_missing"], (6, {"2025-10", "2025-11"}))

    def test_scores_and_ranks_side_by_side(self) -> None:
        scores = {row.organisation.code: (row.value, row.rank) for row in self.card().rows}
        # WCQ: report 5 + 指南 2 = 7. WCCZJ: 3 + 5 + 2 + 6 = 16. WCBGS: 12 + 1 + 5 + 5 + 2 + 2 = 27.
        self.assertEqual(scores, {"WCQ": (93, 1), "WCCZJ": (84, 2), "WCBGS": (73, 3)})

    def test_a_government_changes_a_weight_and_adds_a_manual_deduction(self) -> None:
        indicator_override_save(
            by=self.supervisor, government=self.district, key="overdue_reply", points=4, cap=6,
            enabled=True,
        )  # fmt: skip
        custom_indicator_add(
            by=self.supervisor, government=self.district, key="inspection", label="检查发现问题",
            points=3, cap=0, source="区政务公开办2025年检查通知",
        )  # fmt: skip
        manual_deduction_record(
            by=self.supervisor, government=self.district, organisation=self.other, year=2025,
            key="inspection", note="网站政务公开专栏有空白栏目", evidence_url="/open/WCCZJ/",
        )  # fmt: skip
        self.assertEqual(self.deductions("WCBGS")["overdue_reply"][0], 6)  # 2 × 4, capped at 6
        inspection = self.deductions("WCCZJ")["inspection"]
        self.assertEqual(inspection[0], 3)
        self.assertEqual(inspection[1], {str(ManualDeduction.objects.get().pk)})

    def test_a_report_from_before_the_records_began_is_not_judged(self) -> None:
        ProactiveItem.objects.filter(pk=self.first.pk).delete()  # records now begin in 2025
        self.assertNotIn("report_late", self.deductions("WCBGS"))

    def test_a_report_published_before_gongkai_and_uploaded_is_not_late(self) -> None:
        from gongkai.reports.models import PriorReport

        PriorReport.objects.create(
            organisation=self.office, year=2024, data={}, file="reports/prior/2024.pdf"
        )
        self.assertNotIn("report_late", self.deductions("WCBGS"))
        self.assertIn("report_late", self.deductions("WCCZJ"))

    def test_only_the_governments_supervisor_changes_the_settings(self) -> None:
        from gongkai.accounts.errors import ServiceError

        with self.assertRaises(ServiceError):
            indicator_override_save(
                by=self.clerk, government=self.district, key="overdue_reply", points=1, cap=0,
                enabled=True,
            )  # fmt: skip
        with self.assertRaises(ServiceError):
            manual_deduction_record(
                by=self.supervisor, government=self.district, organisation=self.other,
                year=2025, key="overdue_reply", note="  ",
            )  # fmt: skip
        self.assertFalse(ManualDeduction.objects.exists())

    # -- pages ------------------------------------------------------------------------------

    def test_the_pages_are_the_supervisors_only(self) -> None:
        url = reverse("supervision:scorecard", args=["WCQ", 2025])
        for persona in ("clerk", "outsider"):
            self.client.force_login(getattr(self, persona))
            self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.supervisor)
        page = self.client.get(url).content.decode()
        self.assertIn("宛城区人民政府办公室", page)
        self.assertIn(">73<", page)

    def test_every_evidence_link_opens_for_the_supervisor(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get(
            reverse("supervision:scorecard_org", args=["WCQ", 2025, "WCBGS"])
        ).content.decode()
        self.assertIn(reverse("cases:detail", args=[self.a.pk]), page)
        self.assertIn("/supervision/rectification/WCQ/new/?", page)
        row = self.card().row("WCBGS")
        assert row is not None
        for deduction in row.score.deductions:
            for evidence in deduction.evidence:
                with self.subTest(kind=evidence.kind, id=evidence.id):
                    self.assertEqual(self.client.get(evidence.url).status_code, 200)

    def test_the_xlsx_reads_back_the_scores_and_every_evidence(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(reverse("supervision:scorecard_xlsx", args=["WCQ", 2025]))
        book = load_workbook(io.BytesIO(response.content))
        scores = {row[1]: row[3] for row in book["得分"].iter_rows(min_row=3, values_only=True)}
        self.assertEqual(scores, {"WCQ": 93, "WCCZJ": 84, "WCBGS": 73})
        details = list(book["扣分明细"].iter_rows(min_row=2, values_only=True))
        ids = {(r[0], r[4], r[5]) for r in details}
        self.assertIn(("WCBGS", "application", str(self.c.pk)), ids)
        self.assertIn(("WCCZJ", "period_report", "2025-10"), ids)

    def test_the_history_page_draws_a_chart(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get(
            reverse("supervision:scorecard_history", args=["WCQ"])
        ).content.decode()
        self.assertIn('<svg class="chart"', page)
        self.assertIn("宛城区财政局：", page)  # the chart's text alternative

    # -- CLI ---------------------------------------------------------------------------------

    def test_gongkai_score_json(self) -> None:
        out = io.StringIO()

        with redirect_stdout(out):
            status = cli(
                ["score", "--gov", "WCQ", "--year", "2025", "--json", "--today", "2025-12-20"]
            )
        self.assertEqual(status, 0)
        data = json.loads(out.getvalue())
        office = next(o for o in data["organisations"] if o["org"] == "WCBGS")
        self.assertEqual(office["score"], 73)
        overdue = next(d for d in office["deductions"] if d["indicator"] == "overdue_reply")
        self.assertEqual(overdue["points"], 12)
        self.assertEqual(
            {(e["kind"], e["id"]) for e in overdue["evidence"]},
            {("application", str(self.a.pk)), ("application", str(self.c.pk))},
        )

    def test_gongkai_score_refuses_bad_input(self) -> None:

        for argv in (
            ["score", "--gov", "NOPE", "--year", "2025"],
            ["score", "--gov", "WCQ", "--year", "2025", "--to", "x.pdf"],
            ["score", "--gov", "WCQ", "--year", "2025", "--today", "2025-13-01"],
        ):
            err = io.StringIO()
            with redirect_stderr(err):
                self.assertEqual(cli(argv), 2, argv)
            self.assertTrue(err.getvalue().strip())

    def test_gongkai_score_writes_xlsx(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "score.xlsx"
            with redirect_stdout(io.StringIO()):
                status = cli(["score", "--gov", "WCQ", "--year", "2025", "--to", str(target),
                              "--today", "2025-12-20"])  # fmt: skip
            self.assertEqual(status, 0)
            self.assertIn("得分", load_workbook(target).sheetnames)
