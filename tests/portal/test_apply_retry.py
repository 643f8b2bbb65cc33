"""A resent online application (the form's submission key, decision MS-5): a double click, or a
client resending after the server it reached died before answering, gets the first receipt —
same number, same 查询码 — and no second application; the key is no licence to anything else."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.cases.models import Application, Attachment, OnlineSubmission
from gongkai.cases.online import application_for_code, lookup_code_for_key
from gongkai.test import BaseTestCase, use_temporary_media
from tests.portal.test_apply import TODAY, form_data
from tests.web.base import freeze_today

KEY = "k" * 12 + "Xy_-" + "0123456789abcdef"


class OnlineRetryTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        use_temporary_media(self)
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.url = reverse("portal:apply", args=[self.office.code])

    def receipt(self, response: Any) -> tuple[str, str]:
        page = response.content.decode()
        number = re.search(r"申请编号：<strong[^>]*>([^<]+)<", page)
        code = re.search(r"查询码：<strong[^>]*>([^<]+)<", page)
        assert response.status_code == 200 and number and code, page
        return number.group(1), code.group(1)

    def test_the_blank_form_carries_a_new_key_each_time(self) -> None:
        keys = [
            re.search(r'name="submission_key" value="([^"]+)"', self.client.get(self.url).text)
            for _ in range(2)
        ]
        assert keys[0] and keys[1]
        assert keys[0].group(1) != keys[1].group(1)
        assert len(keys[0].group(1)) >= 32

    def test_a_resent_form_gets_the_first_receipt_and_stores_one_application(self) -> None:
        first = self.receipt(self.client.post(self.url, form_data(submission_key=KEY)))
        # Another browser session (a retry through another server has no shared cookie either).
        again = self.receipt(Client().post(self.url, form_data(submission_key=KEY)))
        assert again == first
        assert Application.objects.count() == 1
        application = application_for_code(*first)
        assert application is not None and application.tracking_no == first[0]

    def test_the_code_comes_from_the_key_and_is_not_stored_in_clear(self) -> None:
        _number, code = self.receipt(self.client.post(self.url, form_data(submission_key=KEY)))
        assert code == lookup_code_for_key(KEY)
        assert lookup_code_for_key(KEY + "x") != code
        stored = OnlineSubmission.objects.get()
        assert code.replace("-", "") not in str(stored.__dict__)
        assert KEY not in str(stored.__dict__)

    def test_the_same_key_with_other_content_is_refused_and_stores_nothing(self) -> None:
        number, _ = self.receipt(self.client.post(self.url, form_data(submission_key=KEY)))
        response = self.client.post(self.url, form_data(submission_key=KEY, name="王五"))
        assert response.status_code == 400
        page = response.content.decode()
        assert f"此页面的申请已经提交（申请编号 {number}）" in page
        assert "查询码：" not in page
        assert Application.objects.count() == 1

    def test_attachments_are_part_of_the_content(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        def with_file(body: bytes) -> dict[str, Any]:
            upload = SimpleUploadedFile("证明.txt", body, content_type="text/plain")
            return form_data(submission_key=KEY, attachments=[upload])

        self.receipt(self.client.post(self.url, with_file(b"first")))
        assert self.client.post(self.url, with_file(b"other")).status_code == 400
        again = self.client.post(self.url, with_file(b"first"))
        self.receipt(again)
        assert Attachment.objects.count() == 1

    def test_two_forms_are_two_applications(self) -> None:
        one = self.receipt(self.client.post(self.url, form_data(submission_key=KEY)))
        two = self.receipt(self.client.post(self.url, form_data(submission_key=KEY[::-1])))
        assert one[0] != two[0] and one[1] != two[1]
        assert Application.objects.count() == 2

    def test_a_form_without_a_key_still_submits(self) -> None:
        self.receipt(self.client.post(self.url, form_data()))
        self.receipt(self.client.post(self.url, form_data()))
        assert Application.objects.count() == 2
        assert not OnlineSubmission.objects.exclude(key_digest=None).exists()

    def test_a_malformed_key_is_refused(self) -> None:
        response = self.client.post(self.url, form_data(submission_key="short<>"))
        assert response.status_code == 400
        assert Application.objects.count() == 0
