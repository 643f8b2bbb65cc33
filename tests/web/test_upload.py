import hashlib
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import override_settings
from django.urls import reverse

from gongkai.cases.models import Application, Attachment
from gongkai.cases.services import attachment_add
from tests.web.base import WebTestCase

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class UploadTests(WebTestCase):
    application: Application

    def setUp(self) -> None:
        super().setUp()
        self.application = self.new()

    def upload(self, name: str, content: bytes, kind: str = "application") -> HttpResponse:
        url = reverse("cases:upload", args=[self.application.pk])
        return self.client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, content)})

    def assertRefused(self, response: HttpResponse, message: str) -> None:
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, message, status_code=400)
        self.assertFalse(Attachment.objects.exists())

    def test_a_clerk_uploads_a_file_with_its_size_type_and_sha256(self) -> None:
        self.login("clerk")
        response = self.upload("申请书.pdf", PDF)
        self.assertRedirects(
            response,
            reverse("cases:detail", args=[self.application.pk]) + "#attachments",
            fetch_redirect_response=False,
        )
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.name, "申请书.pdf")
        self.assertEqual(attachment.size, len(PDF))
        self.assertEqual(attachment.content_type, "application/pdf")
        self.assertEqual(attachment.sha256, hashlib.sha256(PDF).hexdigest())
        self.assertEqual(attachment.uploaded_by, self.clerk)
        self.assertContains(self.detail(self.application), "已上传“申请书.pdf”")

    def test_a_sound_docx_is_accepted(self) -> None:
        self.login("reviewer")
        self.upload("答复.docx", docx_bytes(), kind="reply")
        self.assertEqual(Attachment.objects.get().kind, "reply")

    def test_a_corrupt_docx_is_refused_with_a_message(self) -> None:
        self.login("clerk")
        self.assertRefused(self.upload("答复.docx", b"this is not a zip"), "可能已损坏")
        self.assertRefused(self.upload("答复.docx", docx_bytes()[:40]), "文件已损坏")

    @override_settings(ATTACHMENT_MAX_BYTES=16)
    def test_an_oversized_file_is_refused_with_a_message(self) -> None:
        self.login("clerk")
        self.assertRefused(self.upload("申请书.pdf", PDF), "文件过大")

    def test_an_unsupported_type_and_an_empty_file_are_refused(self) -> None:
        self.login("clerk")
        self.assertRefused(self.upload("tool.exe", b"MZ..."), "不支持的文件类型")
        self.assertRefused(self.upload("空.pdf", b""), "所提交的是空文件")

    def test_anonymous_users_are_sent_to_the_login_page(self) -> None:
        self.assertRedirectsToLogin(self.upload("申请书.pdf", PDF))

    def test_another_organisation_and_the_supervisor_get_a_404(self) -> None:
        for persona in ("outsider", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                self.assertEqual(self.upload("申请书.pdf", PDF).status_code, 404)
        self.assertFalse(Attachment.objects.exists())


class DownloadTests(WebTestCase):
    application: Application
    attachment: Attachment

    def setUp(self) -> None:
        super().setUp()
        self.application = self.new()
        self.attachment = attachment_add(
            actor=self.clerk,
            application=self.application,
            name="申请书.pdf",
            content=PDF,
            kind="application",
        )

    def download(self, application: Application | None = None) -> HttpResponse:
        pk = (application or self.application).pk
        return self.client.get(reverse("cases:download", args=[pk, self.attachment.pk]))

    def test_the_office_and_the_supervisor_download_the_file(self) -> None:
        for persona in ("clerk", "reviewer", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                response = self.download()
                self.assertEqual(response.status_code, 200)
                self.assertEqual(b"".join(response.streaming_content), PDF)  # type: ignore[attr-defined]
                self.assertEqual(response["Content-Type"], "application/pdf")
                self.assertIn("attachment;", response["Content-Disposition"])

    def test_another_organisation_gets_a_404(self) -> None:
        self.login("outsider")
        self.assertEqual(self.download().status_code, 404)

    def test_an_attachment_asked_for_under_another_application_is_a_404(self) -> None:
        self.login("clerk")
        self.assertEqual(self.download(self.new()).status_code, 404)

    def test_anonymous_users_are_sent_to_the_login_page(self) -> None:
        self.assertRedirectsToLogin(self.download())
