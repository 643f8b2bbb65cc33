"""The printable receipt: a PDF re-rendered from the number and code the receipt page posts back,
refused without the right code."""

from __future__ import annotations

import io
import re
import unittest

import pdfplumber
from django.core.cache import cache
from django.urls import reverse

from gongkai.pdf import chromium
from gongkai.test import BaseTestCase, use_temporary_media
from tests.portal.test_apply import form_data


@unittest.skipIf(chromium() is None, "chromium is not installed")
class ReceiptPdfTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        use_temporary_media(self)

    def test_the_receipt_pdf_carries_the_number_and_the_code(self) -> None:
        page = self.client.post(
            reverse("portal:apply", args=[self.office.code]), form_data()
        ).content.decode()
        number = re.search(r'name="tracking_no" value="([^"]+)"', page)
        code = re.search(r'name="code" value="([^"]+)"', page)
        assert number and code
        url = reverse("portal:receipt_pdf")
        response = self.client.post(url, {"tracking_no": number[1], "code": code[1]})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        with pdfplumber.open(io.BytesIO(response.content)) as pdf:
            text = "".join(p.extract_text() or "" for p in pdf.pages)
        self.assertIn(number[1], text)
        self.assertIn(code[1], text)
        self.assertIn("政府信息公开申请回执", text)
        wrong = self.client.post(url, {"tracking_no": number[1], "code": "AAAA-AAAA-AAAA-AAAA"})
        self.assertEqual(wrong.status_code, 404)
