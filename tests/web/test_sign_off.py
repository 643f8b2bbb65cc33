"""Review and sign-off on the 工作台 (issue 14 §1): the reviewer's 待审核, the clerk's 被退回修改,
everyone's 已办; the 呈批单 with every opinion, name and date, as .docx and PDF."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import docx
from django.urls import reverse

from gongkai.cases.models import Application
from gongkai.cases.selectors import CaseList
from gongkai.pdf import chromium
from tests.web.base import TODAY, WebTestCase

URL = reverse("cases:dashboard")
REASONS = "申请公开的信息中涉及第三方个人信息（姓名、身份证号码），该部分不予公开。"


class SignOffTests(WebTestCase):
    def lists(self, persona: str) -> dict[str, list[str]]:
        self.login(persona)
        lists: list[CaseList] = self.client.get(URL).context["lists"]
        return {item.key: [row.application.tracking_no for row in item.rows] for item in lists}

    def proposed(self) -> Application:
        return self.step(
            self.new(), "propose_reply", actor=self.clerk, outcome_key="r_partial", reasons=REASONS
        )

    def test_a_proposed_reply_waits_in_the_reviewers_list_not_the_clerks(self) -> None:
        case = self.proposed()
        self.assertEqual(self.lists("reviewer")["review"], [case.tracking_no])
        self.assertNotIn("review", self.lists("clerk"))  # a clerk approves nothing
        self.assertEqual(self.lists("clerk")["done"], [case.tracking_no])

    def test_a_returned_draft_goes_back_to_the_clerk(self) -> None:
        case = self.step(
            self.proposed(), "return_reply", note="理由过于笼统，请写明不予公开的具体内容"
        )
        self.assertEqual(self.lists("clerk")["returned"], [case.tracking_no])
        self.assertEqual(self.lists("reviewer")["review"], [])
        self.assertEqual(self.lists("reviewer")["done"], [case.tracking_no])
        again = self.step(case, "propose_reply", actor=self.clerk, outcome_key="r_partial",
                          reasons=REASONS)  # fmt: skip
        self.assertEqual(self.lists("clerk")["returned"], [])
        self.assertEqual(self.lists("reviewer")["review"], [again.tracking_no])

    def sheet(self, case: Application, fmt: str = "docx") -> bytes:
        self.login("reviewer")
        url = reverse("letters:approval_sheet", args=[case.pk])
        response = self.client.get(url + ("?format=pdf" if fmt == "pdf" else ""))
        self.assertEqual(response.status_code, 200)
        return b"".join(response)  # type: ignore[arg-type]

    def signed_off(self) -> Application:
        case = self.step(self.proposed(), "return_reply", note="理由过于笼统")
        case = self.step(case, "propose_reply", actor=self.clerk, outcome_key="r_partial",
                         reasons=REASONS)  # fmt: skip
        return self.step(case, "reply", note="同意")

    def test_the_sheet_lists_every_opinion_with_name_and_date(self) -> None:
        self.clerk.first_name, self.reviewer.first_name = "李经办", "王审核"
        self.clerk.save()
        self.reviewer.save()
        case = self.signed_off()
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(self.sheet(case))).paragraphs)
        self.assertTrue(text.startswith("政府信息公开申请答复呈批单"))
        self.assertIn(f"申请编号：{case.tracking_no}", text)
        headings = [line for line in text.split("\n") if line.startswith(("拟办意见", "审核意见"))]
        self.assertEqual(
            headings, ["拟办意见", "审核意见（退回修改）", "拟办意见", "审核意见（同意，签发）"]
        )
        self.assertIn(f"理由：{REASONS}", text)
        self.assertIn("理由过于笼统", text)
        self.assertEqual(text.count("李经办"), 2)
        self.assertEqual(text.count("王审核"), 2)
        self.assertIn(f"{TODAY.year}年{TODAY.month}月{TODAY.day}日", text)

    def test_the_sheet_prints_as_pdf(self) -> None:
        if chromium() is None:
            self.skipTest("Debian chromium is not installed")
        pdf = self.sheet(self.signed_off(), "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sheet.pdf"
            path.write_bytes(pdf)
            text = subprocess.run(
                ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
        self.assertIn("呈批单", text)
        self.assertIn("审核意见（同意，签发）", text)

    def test_no_sheet_before_a_proposal_and_none_for_another_office(self) -> None:
        case = self.new()
        self.login("reviewer")
        self.assertEqual(
            self.client.get(reverse("letters:approval_sheet", args=[case.pk])).status_code, 404
        )
        proposed = self.proposed()
        self.login("outsider")
        self.assertEqual(
            self.client.get(reverse("letters:approval_sheet", args=[proposed.pk])).status_code, 404
        )
