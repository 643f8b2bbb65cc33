"""Security headers on the app's own pages, and pages that satisfy the Content-Security-Policy:
no inline script, no inline event handler, no <style> block (GB/T 22239-2019 8.1.4.5 入侵防范)."""

from __future__ import annotations

import re

from django.contrib.auth.models import Permission
from django.test import override_settings

from tests.web.base import WebTestCase

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)


class SecurityHeaderTests(WebTestCase):
    def pages(self) -> list[str]:
        application = self.new()
        year = 2025
        return [
            "/",
            "/applications/",
            "/applications/new/",
            f"/applications/{application.pk}/",
            "/reports/",
            f"/reports/WCBGS/{year}/",
            f"/reports/WCBGS/{year}/narrative/",
            "/reports/registers/",
            "/api/docs",
        ]

    def test_every_page_sends_the_policy_and_the_headers(self) -> None:
        self.login("admin")
        for url in self.pages():
            response = self.client.get(url)
            assert response.status_code == 200, url
            policy = response["Content-Security-Policy"]
            assert "default-src 'self'" in policy, url
            assert (
                "script-src 'self'" in policy
                and "unsafe-inline" not in policy.split("style-src-attr")[0]
            ), url
            assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url
            assert response["X-Content-Type-Options"] == "nosniff", url
            assert response["X-Frame-Options"] == "DENY", url
            assert response["Referrer-Policy"] == "same-origin", url
            assert response["Cross-Origin-Opener-Policy"] == "same-origin", url

    def test_pages_carry_no_inline_script_handler_or_style_block(self) -> None:
        self.login("admin")
        for url in [*self.pages(), "/accounts/login/"]:
            html = self.client.get(url).content.decode()
            assert not INLINE_SCRIPT.search(html), url
            assert not EVENT_HANDLER.search(html), url
            assert not STYLE_BLOCK.search(html), url

    def test_the_audit_screen_and_admin_satisfy_it_too(self) -> None:
        self.admin.is_staff = True
        self.admin.save()
        self.admin.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
        self.login("admin")
        for url in ["/audit/", "/admin/"]:
            response = self.client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert "Content-Security-Policy" in response.headers, url
            assert not INLINE_SCRIPT.search(html), url
            assert not EVENT_HANDLER.search(html), url

    def test_the_scanner_would_catch_an_inline_script(self) -> None:
        assert INLINE_SCRIPT.search("<p><script>alert(1)</script>")
        assert not INLINE_SCRIPT.search('<script src="/static/js/detail.js" defer></script>')
        assert EVENT_HANDLER.search('<a href="#" onclick="x()">')

    def test_without_https_there_is_no_hsts(self) -> None:
        assert "Strict-Transport-Security" not in self.client.get("/accounts/login/")

    @override_settings(
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31_536_000,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    )
    def test_with_https_plain_http_is_redirected_and_hsts_sent(self) -> None:
        response = self.client.get("/accounts/login/")
        assert response.status_code == 301
        assert response["Location"].startswith("https://")
        secure = self.client.get("/accounts/login/", secure=True)
        assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
