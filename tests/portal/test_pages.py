"""The 专栏's index and an organisation's home: public, anonymous, 404 for an unknown code."""

from __future__ import annotations

from django.urls import reverse

from gongkai.test import BaseTestCase


class PortalPagesTests(BaseTestCase):
    def test_the_index_lists_every_organisation_without_a_login(self) -> None:
        response = self.client.get(reverse("portal:index"))
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn(self.office.name, page)
        self.assertIn(reverse("portal:home", args=[self.office.code]), page)

    def test_an_organisations_home_names_it(self) -> None:
        response = self.client.get(reverse("portal:home", args=[self.office.code]))
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"{self.office.name}政府信息公开", response.content.decode())

    def test_an_unknown_code_is_404(self) -> None:
        self.assertEqual(self.client.get("/open/NOPE/").status_code, 404)
        self.assertEqual(self.client.get("/open/%00/").status_code, 404)
