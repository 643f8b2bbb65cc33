"""POST /letters/<pk>/<kind>/: stores the letter and returns it as a download."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.cases import services as cases
from gongkai.cases.models import Application, Attachment
from gongkai.test import PASSWORD, BaseTestCase
from tests.letters.reading import text_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
D = dt.date


class GenerateViewTests(BaseTestCase):
    app: Application
    clerk: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.app = cases.application_request_correction(
            actor=cls.clerk, application=cls.register(), on=D(2025, 3, 5), today=D(2025, 3, 5),
            items="请写明文件名称或文号。",
        )  # fmt: skip

    def url(self, kind: str = "correction", pk: int | None = None) -> str:
        return reverse("letters:generate", args=[pk or self.app.pk, kind])

    def post_as(self, username: str, kind: str = "correction", pk: int | None = None) -> Any:
        self.client.login(username=username, password=PASSWORD)
        return self.client.post(self.url(kind, pk))

    def test_the_url(self) -> None:
        self.assertEqual(self.url(pk=7), "/letters/7/correction/")

    def test_a_clerk_gets_the_stored_letter_as_a_download(self) -> None:
        response = self.post_as("clerk")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], DOCX)
        name = f"政府信息公开申请补正告知书（{self.app.tracking_no}）.docx"
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith('attachment; filename="letter-correction-'))
        self.assertIn(f"filename*=UTF-8''{quote(name, safe='')}", disposition)
        self.assertIn("请写明文件名称或文号。", text_of(response.content))
        attachment = Attachment.objects.get(application=self.app)
        self.assertEqual((attachment.kind, attachment.name), ("letter", name))

    def test_a_reviewer_and_an_admin_may_too(self) -> None:
        for username in ("reviewer", "admin"):
            with self.subTest(username):
                self.assertEqual(self.post_as(username).status_code, 200)

    def test_an_outsider_gets_404(self) -> None:
        self.assertEqual(self.post_as("outsider").status_code, 404)
        self.assertFalse(Attachment.objects.exists())

    def test_a_supervisor_who_only_reads_gets_404(self) -> None:
        self.assertEqual(self.post_as("supervisor").status_code, 404)

    def test_a_missing_application_is_404(self) -> None:
        self.assertEqual(
            self.post_as("clerk", pk=Application.objects.count() + 100).status_code, 404
        )

    def test_an_unknown_kind_is_404(self) -> None:
        self.assertEqual(self.post_as("clerk", kind="nonsense").status_code, 404)

    def test_a_letter_the_case_does_not_need_is_409(self) -> None:
        response = self.post_as("clerk", kind="fee")
        self.assertEqual(response.status_code, 409)
        self.assertIn("收费通知书", response.content.decode())
        self.assertFalse(Attachment.objects.exists())

    def test_anonymous_is_sent_to_log_in(self) -> None:
        response = self.client.post(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
        self.assertFalse(Attachment.objects.exists())

    def test_get_is_not_allowed(self) -> None:
        self.client.login(username="clerk", password=PASSWORD)
        self.assertEqual(self.client.get(self.url()).status_code, 405)
