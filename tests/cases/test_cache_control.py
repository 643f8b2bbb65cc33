"""Every response of the application says `Cache-Control: no-store`; static files do not."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from gongkai.accounts.tokens import api_token_create
from gongkai.cache_control import NoStoreMiddleware
from gongkai.cases.services import attachment_add
from gongkai.test import use_temporary_media
from tests.web.base import WebTestCase


class NoStoreTests(WebTestCase):
    def assertNoStore(self, response: HttpResponse) -> None:
        # The login view's own never_cache header has no-store among its directives: kept.
        directives = [d.strip() for d in response["Cache-Control"].split(",")]
        self.assertIn("no-store", directives)
        self.assertNotIn("public", directives)
        self.assertEqual(response["Pragma"], "no-cache")

    def test_the_login_page_and_the_redirect_to_it(self) -> None:
        self.assertNoStore(self.client.get(reverse("accounts:login")))
        self.assertNoStore(self.client.get(reverse("cases:dashboard")))  # 302 to the login

    def test_pages_with_personal_data(self) -> None:
        application = self.new()
        self.login("clerk")
        for url in (
            reverse("cases:dashboard"),
            reverse("cases:ledger"),
            reverse("cases:detail", args=[application.pk]),
            reverse("ledger:export"),
            "/no-such-page/",
        ):
            with self.subTest(url):
                self.assertNoStore(self.client.get(url))
        reveal = reverse("cases:reveal", args=[application.pk])
        self.assertNoStore(self.client.post(reveal, {"field": "id_number"}))

    def test_file_downloads(self) -> None:
        use_temporary_media(self)
        application = self.new()
        attachment = attachment_add(
            actor=self.clerk, application=application, name="a.pdf", content=b"%PDF-1.4",
            kind="application",
        )  # fmt: skip
        self.login("clerk")
        response = self.client.get(reverse("cases:download", args=[application.pk, attachment.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNoStore(response)

    def test_the_api_answers_and_refusals(self) -> None:
        application = self.new()
        token = api_token_create(user=self.clerk, name="tests")[1]
        url = reverse("api:application", args=[application.pk])
        self.assertNoStore(self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}"))
        self.assertNoStore(self.client.get(url))  # 401

    def test_static_files_keep_their_own_caching(self) -> None:
        response = self.client.get("/static/css/app.css")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("no-store", response.get("Cache-Control", ""))
        self.assertFalse(response.has_header("Pragma"))

    def test_a_views_own_cache_lifetime_is_replaced(self) -> None:
        def view(request: HttpRequest) -> HttpResponse:
            return HttpResponse(headers={"Cache-Control": "public, max-age=3600"})

        response = NoStoreMiddleware(view)(RequestFactory().get("/"))
        self.assertEqual(response["Cache-Control"], "no-store")
