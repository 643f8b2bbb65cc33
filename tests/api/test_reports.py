"""GET /api/reports/{code}/{year} and its files, on the demo data: the Wancheng office's 2024
report from the records, its state before and after publishing, and who may read it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.accounts.tokens import api_token_create
from gongkai.cases.demo import load_demo
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ReportVersion
from gongkai.reports.services import report_publish
from gongkai.test import use_temporary_media
from tests.api.test_openapi import SCHEMAS, problems
from tests.report.renderers.jsonschema_lite import errors
from tests.web.base import freeze_today

TODAY = dt.date(2026, 11, 26)
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
REPORT_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "report.schema.json").read_text("utf-8")
)


class ReportApiTests(TestCase):
    tokens: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=TODAY)
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.reviewer = User.objects.get(username="reviewer")
        # clerk of the office, 审核人 of the finance bureau, 监督 of the district
        cls.tokens = {
            name: api_token_create(user=User.objects.get(username=name), name="tests")[1]
            for name in ("clerk", "caizheng", "supervisor")
        }
        cls.url = reverse("api:report", args=["WCBGS", 2024])

    def setUp(self) -> None:
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        use_temporary_media(self)

    def get(self, url: str, persona: str = "clerk") -> Any:
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {self.tokens[persona]}")

    def publish(self) -> ReportVersion:
        return report_publish(
            actor=self.reviewer, organisation=self.office, year=2024, acknowledged=True,
            today=TODAY,
        )  # fmt: skip

    def assertError(self, response: Any, status: int) -> None:
        self.assertEqual(response.status_code, status, response.content.decode())
        self.assertEqual(set(response.json()), {"error", "field"})
        self.assertRegex(response.json()["error"], r"[\u4e00-\u9fff]")

    def test_the_tables_are_the_wancheng_offices_2024_report(self) -> None:
        truth = json.loads((CORPUS / "wancheng-office-2024.truth.json").read_text("utf-8"))
        data = self.get(self.url).json()
        t3 = {key: [v or 0 for v in values] for key, values in truth["tables"]["t3"].items()}
        self.assertEqual(data["report"]["tables"]["t3"], t3)
        self.assertEqual(data["report"]["tables"]["t4"], truth["tables"]["t4"])
        self.assertEqual(data["report"]["agency"], "宛城区人民政府办公室")
        self.assertEqual(errors(REPORT_SCHEMA, data["report"]), [])

    def test_an_unpublished_report_is_being_edited_and_late(self) -> None:
        response = self.get(self.url)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(
            data["organisation"],
            {"code": "WCBGS", "name": "宛城区人民政府办公室", "kind": "department"},
        )
        self.assertEqual(
            (data["year"], data["state"], data["state_label"]), (2024, "editing", "编辑中")
        )
        self.assertEqual(data["deadline"], "2025-01-31")
        self.assertEqual(data["timing"], "逾期664天")
        self.assertEqual(data["check"]["blocking"], [])
        self.assertEqual(data["check"]["to_acknowledge"], ["P-01"])
        self.assertIn("P-01", [f["rule"] for f in data["check"]["findings"]])
        self.assertEqual(data["versions"], [])
        self.assertEqual(problems(data, SCHEMAS["AnnualReport"]), [])

    def test_a_report_not_started_has_no_versions(self) -> None:
        data = self.get(reverse("api:report", args=["WCBGS", 2026])).json()
        self.assertEqual(data["state"], "not_started")
        self.assertEqual(problems(data, SCHEMAS["AnnualReport"]), [])

    def test_published_it_lists_the_version_whose_files_download_byte_for_byte(self) -> None:
        version = self.publish()
        data = self.get(self.url).json()
        self.assertEqual((data["state"], data["timing"]), ("published", "逾期664天发布"))
        self.assertEqual(problems(data, SCHEMAS["AnnualReport"]), [])
        [listed] = data["versions"]
        self.assertEqual(
            (listed["number"], listed["published_on"], listed["sha256"], listed["change_note"]),
            (1, "2026-11-26", version.sha256, ""),
        )
        self.assertEqual([f["format"] for f in listed["files"]], ["docx", "html", "json", "pdf"])
        for entry in listed["files"]:
            with self.subTest(entry["format"]):
                self.assertEqual(
                    entry["url"], f"/api/reports/WCBGS/2024/versions/1.{entry['format']}"
                )
                response = self.get(entry["url"])
                self.assertEqual(response.status_code, 200)
                content = b"".join(response.streaming_content)
                self.assertEqual(hashlib.sha256(content).hexdigest(), entry["sha256"])
                self.assertEqual(len(content), entry["size"])
        pdf = self.get(listed["files"][3]["url"])
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertIn("attachment", pdf["Content-Disposition"])

    def test_a_supervisor_reads_the_report_of_an_office_below(self) -> None:
        self.assertEqual(self.get(self.url, "supervisor").status_code, 200)

    def test_another_departments_token_gets_404(self) -> None:
        self.publish()
        self.assertError(self.get(self.url, "caizheng"), 404)
        file_url = reverse("api:report_file", args=["WCBGS", 2024, 1, "pdf"])
        self.assertError(self.get(file_url, "caizheng"), 404)
        self.assertEqual(self.get(file_url).status_code, 200)

    def test_an_unknown_organisation_year_version_or_format_is_404(self) -> None:
        for url in (
            reverse("api:report", args=["NOPE", 2024]),
            reverse("api:report", args=["WCBGS", 2020]),
            reverse("api:report", args=["WCBGS", 2027]),
            reverse("api:report_file", args=["WCBGS", 2024, 1, "pdf"]),
            reverse("api:report_file", args=["WCBGS", 2024, 1, "exe"]),
        ):
            with self.subTest(url):
                self.assertError(self.get(url), 404)

    def test_it_needs_a_token(self) -> None:
        self.assertError(self.client.get(self.url), 401)
        file_url = reverse("api:report_file", args=["WCBGS", 2024, 1, "pdf"])
        self.assertError(self.client.get(file_url), 401)

    def test_it_is_read_only(self) -> None:
        response = self.client.post(self.url, HTTP_AUTHORIZATION=f"Bearer {self.tokens['clerk']}")
        self.assertError(response, 405)
        self.assertEqual(response["Allow"], "GET")
