"""The app's own pages satisfy its Content-Security-Policy (settings.CONTENT_SECURITY_POLICY).

The policy allows no inline script and no style attribute; an inline <style> runs only with the
nonce of its response. Each main page, rendered with the demo data, is read for what a browser
would refuse: an inline <script> (a JSON data block is not a script), an on…= handler, a
style="…" attribute, a <style> without the response's nonce, a javascript: address.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from gongkai.cases.demo import load_demo
from gongkai.cases.models import Application
from gongkai.reports.demo import load_register_demo

DATA_TYPES = {"application/json", "application/ld+json"}


class PolicyReader(HTMLParser):
    """Collects what a strict policy refuses, given the nonce the response's header allows."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.refused: list[str] = []
        self.in_script = False
        self.scripts = 0
        self.styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.refused.append(f"<{tag} {name}=…>")
            if name == "style":
                self.refused.append(f'<{tag} style="{value}">')
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.refused.append(f"<{tag} {name}={value}>")
        if tag == "script":
            self.scripts += 1
            src = values.get("src")
            if src is not None and not src.startswith("/"):
                self.refused.append(f"<script src={src}> (another origin)")
            inline = src is None and values.get("type") not in DATA_TYPES
            if inline and (self.nonce is None or values.get("nonce") != self.nonce):
                self.refused.append("<script> inline without the nonce")
        if tag == "style":
            self.styles += 1
            if self.nonce is None or values.get("nonce") != self.nonce:
                self.refused.append("<style> without the response's nonce")
        if tag == "link" and values.get("rel") == "stylesheet":
            href = values.get("href") or ""
            if not href.startswith("/"):
                self.refused.append(f"<link href={href}> (another origin)")


def style_nonce(policy: str) -> str | None:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part)
    found = re.search(r"'nonce-([^']+)'", directives.get("style-src", ""))
    return found.group(1) if found else None


class PagesFollowThePolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=dt.date(2025, 3, 20))
        load_register_demo()
        cls.users = {user.username: user for user in User.objects.all()}
        cls.application = (
            Application.objects.filter(organisation__code="WCBGS", received_on__year=2025)
            .order_by("id")
            .first()
        )

    def page(self, url: str, username: str | None) -> tuple[str, str]:
        if username is not None:
            self.client.force_login(self.users[username])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        policy = response.get("Content-Security-Policy", "")
        return response.content.decode("utf-8"), policy

    def assertFollowsThePolicy(self, url: str, username: str | None) -> PolicyReader:
        html, policy = self.page(url, username)
        self.assertIn("default-src 'self'", policy, url)
        self.assertIn("object-src 'none'", policy, url)
        self.assertIn("frame-ancestors 'none'", policy, url)
        self.assertIn("base-uri 'self'", policy, url)
        self.assertIn("form-action 'self'", policy, url)
        self.assertNotIn("unsafe-inline", policy, url)
        self.assertNotIn("unsafe-eval", policy, url)
        reader = PolicyReader(style_nonce(policy))
        reader.feed(html)
        self.assertEqual(reader.refused, [], url)
        return reader

    def test_the_main_pages_follow_the_policy(self) -> None:
        assert self.application is not None
        pages = [
            (reverse("accounts:login"), None),
            (reverse("cases:dashboard"), "clerk"),
            (reverse("cases:ledger"), "clerk"),
            (reverse("cases:register"), "clerk"),
            (reverse("cases:detail", args=[self.application.pk]), "clerk"),
            (reverse("reports:index"), "clerk"),
            (reverse("reports:report", args=["WCBGS", 2024]), "clerk"),
            (reverse("reports:narrative", args=["WCBGS", 2024]), "clerk"),
            (reverse("reports:cell", args=["WCBGS", 2024, "t3.new.natural"]), "clerk"),
            (reverse("reports:registers"), "clerk"),
            (reverse("reports:rollup", args=["WCQ", 2024]), "supervisor"),
            (reverse("audit:log"), "auditor"),
            (reverse("admin:index"), "sysadmin"),
            (reverse("accounts:users", args=["WCBGS"]), "admin"),
            (reverse("accounts:password_change"), "clerk"),
            (reverse("api:docs"), None),
        ]
        for url, username in pages:
            with self.subTest(url=url):
                self.client.logout()
                self.assertFollowsThePolicy(url, username)

    def test_the_report_page_s_column_widths_come_with_the_nonce(self) -> None:
        url = reverse("reports:report", args=["WCBGS", 2024])
        reader = self.assertFollowsThePolicy(url, "clerk")
        html, _policy = self.page(url, "clerk")
        self.assertEqual(reader.styles, 1)
        self.assertRegex(html, r"\.annual-report table\.t3 col:nth-child\(1\) \{ width: [\d.]+% \}")
        self.assertNotIn("&gt;", html.split("</style>")[0])

    def test_each_response_has_its_own_nonce(self) -> None:
        url = reverse("reports:report", args=["WCBGS", 2024])
        first = style_nonce(self.page(url, "clerk")[1])
        second = style_nonce(self.page(url, "clerk")[1])
        self.assertIsNotNone(first)
        self.assertNotEqual(first, second)

    def test_a_page_without_inline_style_gets_no_nonce(self) -> None:
        _html, policy = self.page(reverse("cases:dashboard"), "clerk")
        self.assertIsNone(style_nonce(policy))
        self.assertIn("script-src 'self'", policy)
