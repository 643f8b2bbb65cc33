"""政府信息公开制度: a list the 管理员 keeps; a blank column says "本栏目暂无信息"."""

from __future__ import annotations

from django.urls import reverse

from gongkai.portal.models import PolicyItem
from tests.web.base import WebTestCase

URL = "/portal/WCBGS/policies/"


class PolicyTests(WebTestCase):
    def public(self) -> str:
        return self.client.get(reverse("portal:policies", args=["WCBGS"])).content.decode()

    def test_a_blank_column_says_it_has_no_information(self) -> None:
        self.assertIn("本栏目暂无信息", self.public())

    def test_the_admin_adds_an_entry_with_a_link_or_text_and_removes_it(self) -> None:
        self.login("admin")
        response = self.client.post(
            URL, {"title": "政府信息公开发布协调制度", "url": "https://www.example.gov.cn/zd/1.html"},
            follow=True,
        )  # fmt: skip
        self.assertContains(response, "已添加")
        page = self.public()
        self.assertIn(
            '<a href="https://www.example.gov.cn/zd/1.html">政府信息公开发布协调制度</a>', page
        )
        self.assertIn("发布日期：2025-03-20", page)
        item = PolicyItem.objects.get()
        with self.captureOnCommitCallbacks(execute=True):  # the cache is cleared on commit
            self.client.post(f"{URL}{item.pk}/remove/")
        self.assertIn("本栏目暂无信息", self.public())

    def test_an_entry_without_link_or_text_is_refused(self) -> None:
        self.login("admin")
        response = self.client.post(URL, {"title": "空的制度"})
        self.assertContains(response, "请填写链接或正文（至少一项）")
        self.assertFalse(PolicyItem.objects.exists())

    def test_only_the_admin_manages_the_list(self) -> None:
        self.login("clerk")
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.client.post(URL, {"title": "x", "text": "y"}).status_code, 403)
        self.assertFalse(PolicyItem.objects.exists())
