"""Publishing freezes a version: errors block it, warnings must be acknowledged, a correction is
a new version with a dated change note, and the files of every version stay as they were."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

from django.contrib.auth.models import User
from django.test import TestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.cases.services import ServiceError
from gongkai.domain.report.build import counts
from gongkai.domain.report.model import Cell
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.renderers import render
from gongkai.reports.checks import current_report, pre_publish, previous_report
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ReportDraft, ReportVersion, ReportVersionFile
from gongkai.reports.services import narrative_save, prior_report_upload, report_publish
from gongkai.test import use_temporary_media

TODAY = dt.date(2026, 11, 26)
TRUTH = (
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "wancheng-office-2024.truth.json"
)


class PublishTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=TODAY)
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.reviewer = User.objects.get(username="reviewer")
        cls.clerk = User.objects.get(username="clerk")

    def setUp(self) -> None:
        use_temporary_media(self)

    def publish(self, **kwargs: object) -> ReportVersion:
        arguments = {
            "actor": self.reviewer, "organisation": self.office, "year": 2024,
            "acknowledged": True, "today": TODAY, **kwargs,
        }  # fmt: skip
        return report_publish(**arguments)  # type: ignore[arg-type]

    def test_publishing_freezes_the_data_and_four_files_with_their_hashes(self) -> None:
        version = self.publish()
        self.assertEqual((version.number, version.published_on), (1, TODAY))
        canonical = json.dumps(
            version.data, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        self.assertEqual(version.sha256, hashlib.sha256(canonical.encode()).hexdigest())
        files = {f.format: f for f in version.files.all()}
        self.assertEqual(set(files), {"docx", "pdf", "html", "json"})
        for stored in files.values():
            content = stored.file.open("rb").read()
            self.assertEqual(hashlib.sha256(content).hexdigest(), stored.sha256)
            self.assertEqual(len(content), stored.size)

    def test_the_published_docx_and_pdf_read_back_to_the_wancheng_tables(self) -> None:
        truth = json.loads(TRUTH.read_text("utf-8"))["tables"]
        version = self.publish()
        for fmt in ("docx", "pdf"):
            stored = version.files.get(format=fmt)
            report = parse_report(stored.file.open("rb").read(), f"r.{fmt}").report
            t3 = {k: [v or 0 for v in vs] for k, vs in truth["t3"].items()}
            self.assertEqual(counts(report.t3), t3, fmt)
            self.assertEqual(counts(report.t4), truth["t4"], fmt)
            self.assertEqual(report.agency, "宛城区人民政府办公室", fmt)

    def test_lateness_is_a_warning_to_acknowledge_not_a_block(self) -> None:
        check = pre_publish(self.office, 2024, TODAY)
        self.assertEqual(check.blocking, ())
        self.assertEqual([f.rule for f in check.to_acknowledge], ["P-01"])
        with self.assertRaises(ServiceError) as caught:
            self.publish(acknowledged=False)
        self.assertEqual(caught.exception.field, "acknowledged")
        self.assertFalse(ReportVersion.objects.exists())

    def test_an_error_blocks_publishing_and_nothing_is_stored(self) -> None:
        ReportDraft.objects.filter(organisation=self.office, year=2024).update(problems="")
        with self.assertRaises(ServiceError) as caught:
            self.publish()
        self.assertIn("S-10", caught.exception.message)
        self.assertFalse(ReportVersion.objects.exists())
        self.assertFalse(ReportVersionFile.objects.exists())

    def test_a_year_that_has_not_ended_cannot_be_published(self) -> None:
        with self.assertRaises(ServiceError) as caught:
            self.publish(year=2026)
        self.assertIn("P-04", caught.exception.message)

    def test_a_clerk_may_write_but_not_publish(self) -> None:
        with self.assertRaises(ServiceError) as caught:
            self.publish(actor=self.clerk)
        self.assertEqual(caught.exception.kind, "forbidden")

    def test_a_correction_is_a_new_version_with_a_dated_note_and_the_old_files_stay(self) -> None:
        first = self.publish()
        old = {f.format: (f.file.name, f.sha256) for f in first.files.all()}
        with self.assertRaises(ServiceError) as caught:
            self.publish(change_note="")
        self.assertEqual(caught.exception.field, "change_note")
        with self.assertRaises(ServiceError) as caught:
            self.publish(change_note="重新发布")
        self.assertIn("相同", caught.exception.message)

        draft = ReportDraft.objects.get(organisation=self.office, year=2024)
        narrative_save(
            actor=self.clerk, organisation=self.office, year=2024, today=TODAY,
            overview=draft.overview, other=draft.other,
            problems=draft.problems + "\n四是按季度检查答复文书。",
        )  # fmt: skip
        second = self.publish(change_note="第五部分补充一项改进措施。", today=dt.date(2026, 12, 1))
        self.assertEqual(second.number, 2)
        docx = second.files.get(format="docx").file.open("rb").read()
        report = parse_report(docx, "v2.docx").report
        printed = "\n".join(f"{s.heading}\n{s.text}" for s in report.sections)
        note = "本报告于2026年12月1日更正（第2版，替代2026年11月26日发布的第1版）。第五部分补充一项改进措施。"
        self.assertIn(f"更正说明\n{note}", printed)
        self.assertEqual(counts(report.t3), counts(current_report(self.office, 2024).report.t3))
        for f in ReportVersionFile.objects.filter(version=first):
            self.assertEqual((f.file.name, f.sha256), old[f.format])
            self.assertEqual(hashlib.sha256(f.file.open("rb").read()).hexdigest(), f.sha256)
        # Timeliness is judged by the first publication, not by the correction's date.
        self.assertEqual(
            [f["rule"] for f in second.findings if f["rule"].startswith("P-")], ["P-01"]
        )

    def test_the_published_report_is_next_year_s_baseline(self) -> None:
        self.assertIsNone(previous_report(self.office, 2025))
        self.publish()
        previous = previous_report(self.office, 2025)
        assert previous is not None
        self.assertEqual(counts(previous.t3), counts(current_report(self.office, 2024).report.t3))


class PriorReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=TODAY)
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.clerk = User.objects.get(username="clerk")

    def setUp(self) -> None:
        use_temporary_media(self)

    def upload(self, year: int, name: str, content: bytes) -> object:
        return prior_report_upload(
            actor=self.clerk, organisation=self.office, year=year, name=name,
            content=content, today=TODAY,
        )  # fmt: skip

    def test_last_year_s_published_report_becomes_the_baseline(self) -> None:
        text = (TRUTH.parent / "wancheng-office-2024.txt").read_bytes()
        self.upload(2024, "wancheng-2024.txt", text)
        previous = previous_report(self.office, 2025)
        assert previous is not None
        self.assertEqual(previous.year, 2024)
        self.assertIn("政策", previous.section_text(5))
        rules = {f.rule for f in pre_publish(self.office, 2025, TODAY).findings}
        self.assertNotIn("X-01", rules)  # 2025 上年结转 0 = Wancheng 2024 结转下年度 0

    def test_the_cross_year_rules_run_against_the_uploaded_report(self) -> None:
        text = (TRUTH.parent / "wancheng-office-2024.txt").read_bytes()
        wancheng = parse_report(text, "w.txt").report
        carry_out = tuple(Cell.of(n) for n in (3, 2, 0, 0, 0, 0, 5))
        altered = dataclasses.replace(wancheng, t3={**wancheng.t3, "carry_out": carry_out})
        self.upload(2024, "2024.json", render(altered, "json"))
        x01 = [f for f in pre_publish(self.office, 2025, TODAY).findings if f.rule == "X-01"]
        self.assertEqual(len(x01), 1)
        self.assertEqual(x01[0].severity.value, "error")

    def test_a_report_of_another_year_or_a_broken_file_is_refused(self) -> None:
        text = (TRUTH.parent / "wancheng-office-2024.txt").read_bytes()
        with self.assertRaises(ServiceError) as caught:
            self.upload(2023, "wancheng-2024.txt", text)
        self.assertIn("2024年度报告，不是2023年度", caught.exception.message)
        with self.assertRaises(ServiceError) as caught:
            self.upload(2024, "report.pdf", b"%PDF-1.7 truncated")
        self.assertIn("无法读取", caught.exception.message)
        self.assertIsNone(previous_report(self.office, 2025))
