"""Token authentication of the API: 401 without a valid token, CSRF exempt only with one."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import ApiToken
from gongkai.accounts.tokens import TOUCH_INTERVAL, api_token_user
from gongkai.cases.models import Application
from gongkai.test import PASSWORD
from tests.api.base import ApiTestCase, registration

URL = reverse("api:applications")


class TokenAuthTests(ApiTestCase):
    def test_a_request_without_a_token_is_401(self) -> None:
        response = self.client.get(URL)
        self.assertError(response, 401)
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="gongkai"')
        self.assertIn("Authorization", response.json()["error"])

    def test_another_scheme_is_401(self) -> None:
        response = self.client.get(URL, HTTP_AUTHORIZATION="Basic Y2xlcms6cHc=")
        self.assertError(response, 401)

    def test_an_unknown_token_is_401(self) -> None:
        response = self.client.get(URL, HTTP_AUTHORIZATION="Bearer gk_not-a-token")
        self.assertError(response, 401)
        self.assertError(self.client.get(URL, HTTP_AUTHORIZATION="Bearer "), 401)

    def test_a_token_of_a_deactivated_user_is_401(self) -> None:
        self.clerk.is_active = False
        self.clerk.save(update_fields=["is_active"])
        self.assertError(self.get_json(URL, "clerk"), 401)

    def test_a_valid_token_authenticates_as_its_user(self) -> None:
        response = self.get_json(URL, "clerk")
        self.assertEqual(response.status_code, 200)
        created = self.post_json(URL, registration(), "reviewer").json()
        self.assertEqual(created["timeline"][0]["actor"], "reviewer")

    def test_the_scheme_is_case_insensitive(self) -> None:
        header = f"bearer {self.tokens['clerk']}"
        self.assertEqual(self.client.get(URL, HTTP_AUTHORIZATION=header).status_code, 200)

    def test_use_is_recorded_at_most_once_a_minute(self) -> None:
        token = ApiToken.objects.get(user=self.clerk)
        self.assertIsNone(token.last_used_at)
        self.get_json(URL, "clerk")
        token.refresh_from_db()
        first = token.last_used_at
        self.assertIsNotNone(first)
        assert first is not None
        api_token_user(self.tokens["clerk"], now=first + dt.timedelta(seconds=30))
        token.refresh_from_db()
        self.assertEqual(token.last_used_at, first)
        later = first + TOUCH_INTERVAL
        api_token_user(self.tokens["clerk"], now=later)
        token.refresh_from_db()
        self.assertEqual(token.last_used_at, later)

    def test_only_the_digest_is_stored(self) -> None:
        raw = self.tokens["clerk"]
        token = ApiToken.objects.get(user=self.clerk)
        self.assertEqual(token.digest, ApiToken.digest_of(raw))
        self.assertEqual(token.prefix, raw[:8])
        self.assertFalse(ApiToken.objects.filter(digest=raw).exists())

    def test_a_session_login_does_not_authenticate_the_api(self) -> None:
        self.client.login(username="clerk", password=PASSWORD)
        self.assertError(self.client.get(URL), 401)
        response = self.client.post(URL, registration(), content_type="application/json")
        self.assertError(response, 401)
        self.assertFalse(Application.objects.exists())


class CsrfTests(ApiTestCase):
    def setUp(self) -> None:
        self.client = Client(enforce_csrf_checks=True)

    def test_a_token_request_needs_no_csrf_token(self) -> None:
        response = self.post_json(URL, registration())
        self.assertEqual(response.status_code, 201, response.content.decode())

    def test_a_cookie_request_without_a_token_is_refused(self) -> None:
        self.client.login(username="clerk", password=PASSWORD)
        response = self.client.post(URL, registration(), content_type="application/json")
        self.assertEqual(response.status_code, 401)
        self.assertFalse(Application.objects.exists())


class MethodTests(ApiTestCase):
    def test_an_unsupported_method_is_405_with_allow(self) -> None:
        response = self.client.put(URL, "{}", content_type="application/json", **self.auth("clerk"))
        self.assertError(response, 405)
        self.assertEqual(response["Allow"], "GET, POST")
        detail = reverse("api:application", args=[1])
        response = self.client.delete(detail, **self.auth("clerk"))
        self.assertError(response, 405)

    def test_the_documentation_needs_no_token(self) -> None:
        self.assertEqual(self.client.get(reverse("api:openapi")).status_code, 200)
        self.assertEqual(self.client.get(reverse("api:docs")).status_code, 200)
