"""Security headers and cookies, with the settings that gongkai/settings.py derives from the
environment (GONGKAI_HTTPS, GONGKAI_BEHIND_PROXY): the module is run again with that environment
and its values put in force, so the test covers the mapping, not a copy of it."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any
from unittest import mock

from django.test import RequestFactory, override_settings
from django.urls import reverse

import gongkai.settings
from gongkai.audit.services import client_ip
from gongkai.test import PASSWORD, BaseTestCase

SETTINGS = Path(gongkai.settings.__file__)
DEPLOYMENT = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "GONGKAI_BEHIND_PROXY",
]
OFF = {
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    "SECURE_HSTS_PRELOAD": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SECURE_PROXY_SSL_HEADER": None,
    "GONGKAI_BEHIND_PROXY": False,
}


def settings_from_env(**env: str) -> dict[str, Any]:
    """The deployment settings that gongkai/settings.py gives in `env` (Django's defaults where it
    leaves one unset)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_HSTS")}
    for name in ("GONGKAI_HTTPS", "GONGKAI_BEHIND_PROXY"):
        clean.pop(name, None)
    with mock.patch.dict(os.environ, {**clean, **env}, clear=True):
        values = runpy.run_path(str(SETTINGS))
    return {name: values.get(name, OFF[name]) for name in DEPLOYMENT}


class HeadersTests(BaseTestCase):
    def test_every_page_sends_the_security_headers(self) -> None:
        response = self.client.get(reverse("accounts:login"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)

    def test_the_json_api_and_downloads_get_them_too(self) -> None:
        response = self.client.get(reverse("api:openapi"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("Content-Security-Policy", response)

    def test_the_csrf_cookie_is_not_readable_by_scripts(self) -> None:
        response = self.client.get(reverse("accounts:login"))
        self.assertTrue(response.cookies["csrftoken"]["httponly"])


class WithoutHttpsTests(BaseTestCase):
    """The default (demo, plain-HTTP intranet): nothing forces HTTPS."""

    def test_nothing_is_switched_on(self) -> None:
        self.assertEqual(settings_from_env(), OFF)

    def test_there_is_no_hsts_and_no_redirect(self) -> None:
        with override_settings(**settings_from_env()):
            response = self.client.get(reverse("accounts:login"), secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Strict-Transport-Security", response)

    def test_a_bad_value_is_refused_at_start(self) -> None:
        with self.assertRaisesMessage(ValueError, "GONGKAI_HTTPS"):
            settings_from_env(GONGKAI_HTTPS="maybe")


class HttpsTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        settings = override_settings(**settings_from_env(GONGKAI_HTTPS="1"))
        settings.enable()
        self.addCleanup(settings.disable)

    def test_plain_http_is_redirected_to_https(self) -> None:
        response = self.client.get(reverse("accounts:login"))
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver" + reverse("accounts:login"))

    def test_https_responses_carry_hsts_for_a_year_with_subdomains_without_preload(self) -> None:
        response = self.client.get(reverse("accounts:login"), secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains"
        )

    def test_the_session_and_csrf_cookies_are_secure(self) -> None:
        response = self.client.get(reverse("accounts:login"), secure=True)
        self.assertTrue(response.cookies["csrftoken"]["secure"])
        response = self.client.post(
            reverse("accounts:login"),
            {"username": "clerk", "password": PASSWORD},
            secure=True,
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.cookies["sessionid"]["secure"])
        self.assertTrue(response.cookies["sessionid"]["httponly"])

    def test_a_forwarded_proto_header_is_ignored_without_a_proxy(self) -> None:
        response = self.client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(response.status_code, 301)

    def test_the_hsts_age_can_be_lowered_while_trying_https_out(self) -> None:
        values = settings_from_env(GONGKAI_HTTPS="1", GONGKAI_HSTS_SECONDS="300")
        self.assertEqual(values["SECURE_HSTS_SECONDS"], 300)


class BehindProxyTests(BaseTestCase):
    def test_with_https_the_proxy_s_forwarded_proto_counts(self) -> None:
        values = settings_from_env(GONGKAI_HTTPS="1", GONGKAI_BEHIND_PROXY="1")
        self.assertEqual(values["SECURE_PROXY_SSL_HEADER"], ("HTTP_X_FORWARDED_PROTO", "https"))
        with override_settings(**values):
            forwarded = self.client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
            plain = self.client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="http")
        self.assertEqual(forwarded.status_code, 200)
        self.assertIn("Strict-Transport-Security", forwarded)
        self.assertEqual(plain.status_code, 301)

    def test_without_https_the_proxy_header_is_not_trusted_for_the_scheme(self) -> None:
        values = settings_from_env(GONGKAI_BEHIND_PROXY="1")
        self.assertIsNone(values["SECURE_PROXY_SSL_HEADER"])
        self.assertIs(values["GONGKAI_BEHIND_PROXY"], True)

    def test_the_audit_log_takes_the_address_the_proxy_appended(self) -> None:
        request = RequestFactory().get(
            "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
        )
        with override_settings(**settings_from_env(GONGKAI_BEHIND_PROXY="1")):
            self.assertEqual(client_ip(request), "203.0.113.9")
        with override_settings(**settings_from_env()):
            self.assertEqual(client_ip(request), "10.0.0.2")
