"""The organisation's home links its sub-columns (国办公开办函〔2019〕61号) and 依申请公开; the
适老化 large-text mode is a link that sets a cookie (no JavaScript)."""

from __future__ import annotations

from django.urls import reverse

from gongkai.test import BaseTestCase


class HomeLinksTests(BaseTestCase):
    def test_the_home_links_the_four_sub_columns_and_the_application(self) -> None:
        page = self.client.get(reverse("portal:home", args=["WCBGS"])).content.decode()
        for href, text in [
            ("/open/WCBGS/guide/", "政府信息公开指南"),
            ("/open/WCBGS/policies/", "政府信息公开制度"),
            ("/open/WCBGS/catalogue/", "法定主动公开内容"),
            ("/open/WCBGS/reports/", "政府信息公开年报"),
            ("/open/WCBGS/apply/", "依申请公开"),
            ("/open/track/", "办理进度查询"),
            ("/open/WCBGS/statistics/", "办理情况统计"),
        ]:
            self.assertIn(f'<a href="{href}">{text}</a>', page)


class TextSizeTests(BaseTestCase):
    def test_the_link_sets_the_cookie_and_returns_to_the_page(self) -> None:
        response = self.client.get("/open/text-size/?size=large&next=/open/WCBGS/")
        self.assertRedirects(response, "/open/WCBGS/", fetch_redirect_response=False)
        self.assertEqual(response.cookies["portal_text"].value, "large")
        page = self.client.get("/open/WCBGS/").content.decode()
        self.assertIn('<body class="large-text">', page)
        self.assertIn("标准字号", page)
        self.client.get("/open/text-size/?size=normal&next=/open/WCBGS/")
        self.assertNotIn("large-text", self.client.get("/open/WCBGS/").content.decode())

    def test_it_never_redirects_off_the_portal(self) -> None:
        for target in ("https://evil.example/", "//evil.example/", "/admin/", "/open\\@evil"):
            response = self.client.get("/open/text-size/", {"size": "large", "next": target})
            self.assertEqual(response["Location"], "/open/", target)
