"""Phones and ID numbers are masked wherever they are shown: pages, the .xlsx export, the API and
the admin, for every role; the full values only through the audited reveal (test_reveal.py)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.accounts.tokens import api_token_create
from gongkai.cases.ledger import COLUMNS
from gongkai.test import VALID_ID
from tests.web.base import WebTestCase

FULL_PHONE = "13800000000"  # the personas' applicant (gongkai.test.Personas.register)
MASKED_PHONE = "138****0000"
MASKED_ID = "1101**********002X"


class PageMaskingTests(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = self.new()

    def assertMasked(self, response: Any) -> None:
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertNotIn(FULL_PHONE, page)
        self.assertNotIn(VALID_ID, page)

    def test_the_application_page_shows_the_phone_masked(self) -> None:
        for persona in ("clerk", "reviewer", "admin", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                response = self.detail(self.application)
                self.assertMasked(response)
                self.assertContains(response, f'id="masked-phone">{MASKED_PHONE}</span>')
                self.assertContains(response, f'id="masked-id">{MASKED_ID}</span>')

    def test_a_supervisor_sees_no_reveal_button(self) -> None:
        self.login("supervisor")
        self.assertNotContains(self.detail(self.application), reverse("cases:reveal", args=[1]))

    def test_lists_carry_neither_full_phone_nor_full_id(self) -> None:
        for persona in ("clerk", "supervisor"):
            self.login(persona)
            for url in (reverse("cases:ledger"), reverse("cases:dashboard")):
                with self.subTest(persona=persona, url=url):
                    self.assertMasked(self.client.get(url))

    def test_the_admin_shows_the_phone_masked(self) -> None:
        self.client.force_login(User.objects.create_superuser("root", password="x"))
        url = reverse("admin:cases_application_change", args=[self.application.pk])
        response = self.client.get(url)
        self.assertMasked(response)
        self.assertContains(response, MASKED_PHONE)


class ExportMaskingTests(WebTestCase):
    def test_the_export_masks_phones_and_ids_for_every_role(self) -> None:
        self.new()
        index = {c.key: i for i, c in enumerate(COLUMNS)}
        for persona in ("clerk", "admin", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                response = self.client.get(reverse("ledger:export"))
                sheet = load_workbook(io.BytesIO(response.content)).active
                assert sheet is not None
                (values,) = list(sheet.iter_rows(min_row=3, values_only=True))
                self.assertEqual(values[index["phone"]], MASKED_PHONE)
                self.assertEqual(values[index["id_number"]], MASKED_ID)
                cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row]
                self.assertFalse(any(FULL_PHONE in c or VALID_ID in c for c in cells))


class ApiMaskingTests(WebTestCase):
    def test_the_api_shows_the_phone_masked_and_no_id_number(self) -> None:
        application = self.new()
        token = api_token_create(user=self.supervisor, name="tests")[1]
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        for url in (reverse("api:applications"), reverse("api:application", args=[application.pk])):
            with self.subTest(url):
                response = self.client.get(url, **auth)
                self.assertEqual(response.status_code, 200)
                body = response.content.decode()
                self.assertNotIn(FULL_PHONE, body)
                self.assertNotIn(VALID_ID, body)
                data = response.json()
                applicant = (data["results"][0] if "results" in data else data)["applicant"]
                self.assertEqual(applicant["phone"], MASKED_PHONE)
                self.assertEqual(applicant["id_number_masked"], MASKED_ID)
                self.assertNotIn("id_number", applicant)
