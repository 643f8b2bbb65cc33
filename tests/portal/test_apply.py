"""The public application form, its receipt, and the status lookup (/open/<code>/apply/,
/open/track/): ID checks with full-width input, honeypot, CSRF, rate limits, the same answer for
a wrong code and an unknown number, the public timeline and the online 补正."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from gongkai.cases.models import Application, Attachment
from gongkai.cases.services import application_confirm_receipt, application_request_correction
from gongkai.test import VALID_ID, BaseTestCase, use_temporary_media
from tests.web.base import freeze_today

TODAY = dt.date(2025, 3, 20)
FULL_WIDTH_ID = "１１０１０５ １９４９１２３１ ００２ｘ"


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural",
        "name": "李四",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800000000",
        "content": "请公开宛城区2024年老旧小区改造项目的批复文件",
        "form": "electronic",
        "delivery": "online",
        "consent": "on",
        "website": "",
    }
    return {**data, **changes}


class PortalApplyTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        use_temporary_media(self)
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.url = reverse("portal:apply", args=[self.office.code])

    def apply(self, client: Client | None = None, **changes: Any) -> Any:
        return (client or self.client).post(self.url, form_data(**changes))

    def receipt(self, response: Any) -> tuple[str, str]:
        page = response.content.decode()
        number = re.search(r"申请编号：<strong[^>]*>([^<]+)<", page)
        code = re.search(r"查询码：<strong[^>]*>([^<]+)<", page)
        assert number and code, page
        return number.group(1), code.group(1)

    def test_the_form_is_public_and_labelled(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        for label in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他组织"):
            self.assertIn(label, page)
        self.assertIn('<label for="id_id_number">', page)
        self.assertIn("个人信息处理说明", page)
        self.assertIn("无需说明用途", page)
        self.assertNotIn("<script", page)
        self.assertNotIn("style=", page)

    def test_submitting_gives_the_receipt_and_stores_an_application_awaiting_signing(self) -> None:
        response = self.apply(id_number=FULL_WIDTH_ID)
        self.assertEqual(response.status_code, 200)
        number, code = self.receipt(response)
        application = Application.objects.get()
        self.assertEqual(application.tracking_no, number)
        self.assertEqual(application.status, "submitted")
        self.assertEqual(application.id_number, VALID_ID)  # full-width normalised
        self.assertEqual(len(code.replace("-", "")), 16)
        self.assertNotIn(code, repr(list(Application.objects.values())))

    def test_a_wrong_check_digit_is_refused_on_its_field(self) -> None:
        response = self.apply(id_number="110105194912310021")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "校验位错误", status_code=400)
        # The message is tied to its field: aria-describedby names the paragraph that holds it.
        self.assertContains(response, 'id="id_id_number_error"', status_code=400)
        self.assertRegex(
            response.content.decode(), r'aria-describedby="[^"]*id_id_number_error[^"]*"'
        )
        self.assertFalse(Application.objects.exists())

    def test_an_organisation_gives_a_valid_credit_code(self) -> None:
        response = self.apply(
            applicant_type="biz", name="某科技有限公司", id_type="credit_code",
            id_number="９１３５０１００Ｍ０００１００Ｙ４３",
        )  # fmt: skip
        self.assertEqual(response.status_code, 200, response.content.decode()[:2000])
        self.assertEqual(Application.objects.get().id_number, "91350100M000100Y43")
        bad = self.apply(
            applicant_type="biz", id_type="credit_code", id_number="91350100M000100Y44"
        )
        self.assertContains(bad, "统一社会信用代码校验位错误", status_code=400)

    def test_no_purpose_is_needed_but_a_contact_is(self) -> None:
        self.assertEqual(self.apply(purpose="").status_code, 200)
        response = self.apply(phone="")
        self.assertContains(response, "请至少填写一种联系方式", status_code=400)

    def test_the_honeypot_stores_nothing(self) -> None:
        response = self.apply(website="http://spam.example")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Application.objects.exists())

    def test_csrf_is_required(self) -> None:
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(self.apply(client).status_code, 403)
        self.assertFalse(Application.objects.exists())

    def test_attachments_pass_the_upload_checks(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        good = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        response = self.client.post(self.url, {**form_data(), "attachments": [good]})
        self.assertEqual(response.status_code, 200)
        attachment = Attachment.objects.get()
        with attachment.file.open("rb") as handle:
            self.assertEqual(handle.read(), b"%PDF-1.4 test")
        fake = SimpleUploadedFile("假.pdf", b"not a pdf", content_type="application/pdf")
        response = self.client.post(self.url, {**form_data(), "attachments": [fake]})
        self.assertContains(response, "文件内容与扩展名", status_code=400)
        self.assertEqual(Application.objects.count(), 1)

    @override_settings(GONGKAI_APPLY_RATE="2/h")
    def test_submissions_are_rate_limited_per_address(self) -> None:
        self.assertEqual(self.apply().status_code, 200)
        self.assertEqual(self.apply().status_code, 200)
        limited = self.apply()
        self.assertEqual(limited.status_code, 429)
        self.assertContains(limited, "操作过于频繁", status_code=429)
        self.assertEqual(Application.objects.count(), 2)
        other = Client(REMOTE_ADDR="10.0.0.9")
        self.assertEqual(self.apply(other).status_code, 200)

    @override_settings(GONGKAI_APPLY_RATE="1/h", GONGKAI_BEHIND_PROXY=True)
    def test_behind_a_proxy_the_limit_is_per_forwarded_address(self) -> None:
        first = Client(HTTP_X_FORWARDED_FOR="203.0.113.7")
        second = Client(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.8")
        self.assertEqual(self.apply(first).status_code, 200)
        self.assertEqual(self.apply(first).status_code, 429)
        self.assertEqual(self.apply(second).status_code, 200)

    # ------------------------------------------------------------ status lookup

    def lookup(self, number: str, code: str, client: Client | None = None) -> Any:
        data = {"tracking_no": number, "code": code}
        return (client or self.client).post(reverse("portal:track"), data)

    def test_a_wrong_code_and_an_unknown_number_answer_the_same(self) -> None:
        number, _code = self.receipt(self.apply())
        wrong = self.lookup(number, "AAAA-BBBB-CCCC-DDDD")
        unknown = self.lookup("WCBGS-2025-9999", "AAAA-BBBB-CCCC-DDDD")
        self.assertEqual(wrong.status_code, unknown.status_code)
        self.assertEqual(wrong.status_code, 400)
        strip = re.compile(r'name="(csrfmiddlewaretoken|tracking_no)"[^>]*>')
        self.assertEqual(
            strip.sub("", wrong.content.decode()), strip.sub("", unknown.content.decode())
        )

    @override_settings(GONGKAI_TRACK_FAIL_RATE_PER_NUMBER="3/h", GONGKAI_TRACK_FAIL_RATE="100/h")
    def test_failed_lookups_are_limited_per_number(self) -> None:
        number, code = self.receipt(self.apply())
        for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
            self.assertEqual(self.lookup(number, "X", Client(REMOTE_ADDR=address)).status_code, 400)
        self.assertEqual(self.lookup(number, code, Client(REMOTE_ADDR="10.0.0.4")).status_code, 429)

    @override_settings(GONGKAI_TRACK_FAIL_RATE_PER_NUMBER="2/h")
    def test_the_receipt_pdf_counts_as_a_lookup(self) -> None:
        number, code = self.receipt(self.apply())
        url = reverse("portal:receipt_pdf")
        for _ in range(2):
            response = self.client.post(url, {"tracking_no": number, "code": "X"})
            self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.client.post(url, {"tracking_no": number, "code": code}).status_code, 429
        )
        self.assertEqual(self.lookup(number, code).status_code, 429)

    @override_settings(GONGKAI_TRACK_FAIL_RATE="2/h")
    def test_failed_lookups_are_limited_per_address(self) -> None:
        number, code = self.receipt(self.apply())
        self.lookup("WCBGS-2025-0100", "X")
        self.lookup("WCBGS-2025-0101", "X")
        self.assertEqual(self.lookup(number, code).status_code, 429)
        self.assertEqual(self.lookup(number, code, Client(REMOTE_ADDR="10.1.1.1")).status_code, 302)

    def test_the_status_page_shows_plain_words_and_no_staff_names(self) -> None:
        number, code = self.receipt(self.apply())
        client = Client()
        response = self.lookup(number, code, client)
        self.assertRedirects(response, reverse("portal:track_status"))
        page = client.get(reverse("portal:track_status")).content.decode()
        self.assertIn("已提交，等待工作人员签收", page)
        self.assertIn("尚未签收", page)
        application = Application.objects.get()
        application_confirm_receipt(actor=self.clerk, application=application, on=TODAY)
        application_request_correction(
            actor=self.clerk, application=application, on=TODAY, items="请写明文号",
        )  # fmt: skip
        page = client.get(reverse("portal:track_status")).content.decode()
        self.assertIn("需要您补正申请", page)
        self.assertIn("2025年3月20日", page)
        self.assertIn("请写明文号", page)
        self.assertNotIn("clerk", page)
        response = client.post(
            reverse("portal:track_correction"), {"text": "文号为宛政〔2024〕1号"}
        )
        self.assertRedirects(response, reverse("portal:track_status"))
        application.refresh_from_db()
        self.assertEqual(application.status, "processing")
        # Another browser, without the lookup, sees nothing of it.
        self.assertRedirects(Client().get(reverse("portal:track_status")), reverse("portal:track"))
