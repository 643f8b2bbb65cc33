"""Downloading an attachment is recorded in the audit log (GB/T 22239-2019 8.1.4.3)."""

from __future__ import annotations

from django.urls import reverse

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases.services import attachment_add
from gongkai.test import use_temporary_media
from tests.web.base import WebTestCase


class DownloadAuditTests(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        use_temporary_media(self)
        self.application = self.new()
        self.attachment = attachment_add(
            actor=self.clerk,
            application=self.application,
            name="身份证复印件.pdf",
            content=b"%PDF-1.4 test",
            kind="identity",
        )
        self.url = reverse("cases:download", args=[self.application.pk, self.attachment.pk])

    def downloads(self) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(action=AuditAction.DOWNLOAD))

    def test_a_download_is_recorded_with_the_file_and_its_application(self) -> None:
        self.login("supervisor")
        response = self.client.get(self.url)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 test")  # type: ignore[attr-defined]
        (entry,) = self.downloads()
        self.assertEqual(
            (entry.username, entry.success, entry.ip), ("supervisor", True, "127.0.0.1")
        )
        self.assertEqual(entry.object_type, "cases.Attachment")
        self.assertEqual(entry.object_id, str(self.attachment.pk))
        self.assertEqual(entry.object_repr, "身份证复印件.pdf")
        self.assertEqual(entry.organisation, "WCBGS")
        self.assertEqual(entry.detail, {"application": "WCBGS-2025-0001", "kind": "identity"})

    def test_a_refused_download_records_nothing(self) -> None:
        self.login("outsider")
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.downloads(), [])
