"""The audit entries of letters: a template's wording replaced (with the lengths, not the text),
the same through 系统管理 (once, not twice) and its deletion, and a letter generated and handed
over (下载)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases import services as cases
from gongkai.cases.models import Application, Attachment
from gongkai.cases.services import ServiceError
from gongkai.disclosure.models import LetterTemplate
from gongkai.disclosure.services import letter_template_save
from gongkai.test import PASSWORD, BaseTestCase, use_temporary_media

BODY = "新标题\n\n{{ applicant.name }}，您好。"


class LetterAuditTestCase(BaseTestCase):
    sysadmin: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_administrators()

    def setUp(self) -> None:
        use_temporary_media(self)
        self.mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def entries(self) -> list[AuditEntry]:
        entries = AuditEntry.objects.filter(id__gt=self.mark).exclude(action=AuditAction.LOGIN)
        return list(entries.order_by("id"))


class TemplateAuditTests(LetterAuditTestCase):
    def test_replacing_the_wording_records_the_lengths_not_the_text(self) -> None:
        letter_template_save(actor=self.sysadmin, kind="fee", body=BODY)
        letter_template_save(actor=self.sysadmin, kind="fee", body="标题\n\n正文")
        row = LetterTemplate.objects.get()
        self.assertEqual(
            [(e.action, e.username, e.object_type, e.object_id, e.detail) for e in self.entries()],
            [
                (AuditAction.CREATE, "sysadmin", "disclosure.LetterTemplate", str(row.pk),
                 {"kind": "fee", "length_before": None, "length_after": len(BODY)}),
                (AuditAction.CHANGE, "sysadmin", "disclosure.LetterTemplate", str(row.pk),
                 {"kind": "fee", "length_before": len(BODY), "length_after": 6}),
            ],
        )  # fmt: skip

    def test_a_refused_body_or_actor_records_nothing(self) -> None:
        with self.assertRaises(ServiceError):
            letter_template_save(actor=self.sysadmin, kind="fee", body="标题\n{% if x %}")
        with self.assertRaises(ServiceError):
            letter_template_save(actor=self.admin, kind="fee", body=BODY)
        self.assertEqual(self.entries(), [])

    def test_the_admin_records_each_change_once_and_a_deletion(self) -> None:
        self.client.login(username="sysadmin", password=PASSWORD)
        add = reverse("admin:disclosure_lettertemplate_add")
        self.assertEqual(self.client.post(add, {"kind": "r_open", "body": BODY}).status_code, 302)
        row = LetterTemplate.objects.get()
        change = reverse("admin:disclosure_lettertemplate_change", args=[row.pk])
        self.assertEqual(self.client.post(change, {"body": "标题二\n\n正文"}).status_code, 302)
        delete = reverse("admin:disclosure_lettertemplate_delete", args=[row.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 302)
        self.assertFalse(LetterTemplate.objects.exists())
        entries = self.entries()
        self.assertEqual(
            [(e.action, e.username, e.object_id, e.ip) for e in entries],
            [
                (AuditAction.CREATE, "sysadmin", str(row.pk), "127.0.0.1"),
                (AuditAction.CHANGE, "sysadmin", str(row.pk), "127.0.0.1"),
                (AuditAction.DELETE, "sysadmin", str(row.pk), "127.0.0.1"),
            ],
        )
        self.assertEqual(entries[2].detail["via"], "admin")


class LetterDownloadAuditTests(LetterAuditTestCase):
    def test_a_generated_letter_is_a_download_of_the_stored_attachment(self) -> None:
        application: Application = cases.application_request_correction(
            actor=self.clerk, application=self.register(), on=dt.date(2025, 3, 5),
            today=dt.date(2025, 3, 5), items="请写明文件名称或文号。",
        )  # fmt: skip
        self.mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        self.client.login(username="clerk", password=PASSWORD)
        url = reverse("letters:generate", args=[application.pk, "correction"])
        self.assertEqual(self.client.post(url).status_code, 200)
        attachment = Attachment.objects.get(application=application)
        downloads = [e for e in self.entries() if e.action == AuditAction.DOWNLOAD]
        self.assertEqual(
            [(e.username, e.object_type, e.object_id, e.organisation, e.detail) for e in downloads],
            [("clerk", "cases.Attachment", str(attachment.pk), "WCBGS",
              {"letter": "correction", "application": application.tracking_no, "generated": True})],
        )  # fmt: skip

    def test_a_refused_letter_records_no_download(self) -> None:
        application = self.register()  # no correction asked: no correction letter
        self.client.login(username="clerk", password=PASSWORD)
        url = reverse("letters:generate", args=[application.pk, "correction"])
        self.assertEqual(self.client.post(url).status_code, 409)
        self.assertFalse([e for e in self.entries() if e.action == AuditAction.DOWNLOAD])
