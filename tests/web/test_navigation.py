"""The top menu shows each user the links he may follow (issue 14 part 7): every link in it
answers, for every persona — no 403 and no 404 behind a menu entry."""

from __future__ import annotations

import re

from gongkai.test import PASSWORD, BaseTestCase, WithAdministrators

NAV = re.compile(r'<nav class="mainnav"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


class NavigationTests(WithAdministrators, BaseTestCase):
    def links(self, username: str) -> list[str]:
        self.client.logout()
        self.assertTrue(self.client.login(username=username, password=PASSWORD))
        page = self.client.get("/").content.decode()
        match = NAV.search(page)
        self.assertIsNotNone(match)
        return HREF.findall(match.group(1))  # type: ignore[union-attr]

    def test_every_menu_link_answers_for_every_persona(self) -> None:
        personas = ["clerk", "reviewer", "admin", "supervisor", "outsider"]
        for username in [*personas, "sysadmin", "secadmin", "auditor"]:
            for href in self.links(username):
                with self.subTest(user=username, link=href):
                    response = self.client.get(href)
                    self.assertIn(response.status_code, (200, 302))
                    if response.status_code == 302:
                        self.assertNotIn("/accounts/login", response["Location"])

    def test_the_supervisor_sees_no_registration_and_the_clerk_no_supervision(self) -> None:
        supervisor = self.links("supervisor")
        self.assertNotIn("/applications/new/", supervisor)
        self.assertIn("/supervision/", supervisor)
        self.assertNotIn("/supervision/", self.links("clerk"))

    def test_the_installation_administrators_see_no_case_screens(self) -> None:
        links = self.links("sysadmin")
        self.assertNotIn("/ledger/", " ".join(links))
        self.assertIn("/admin/", links)
