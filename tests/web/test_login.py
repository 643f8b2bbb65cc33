from django.urls import reverse

from gongkai.test import PASSWORD
from tests.web.base import WebTestCase

URL = reverse("accounts:login")


class LoginTests(WebTestCase):
    def test_the_page_is_in_chinese(self) -> None:
        response = self.client.get(URL)
        self.assertContains(response, "用户名")
        self.assertContains(response, "密码")
        self.assertContains(response, '<html lang="zh-CN">')

    def test_a_wrong_password_is_refused_with_a_message(self) -> None:
        response = self.client.post(URL, {"username": "clerk", "password": "wrong"})
        self.assertContains(response, "用户名或密码不正确")

    def test_a_user_logs_in_and_lands_on_the_dashboard(self) -> None:
        response = self.client.post(URL, {"username": "clerk", "password": PASSWORD})
        self.assertRedirects(response, reverse("cases:dashboard"))
        self.assertContains(self.client.get(reverse("cases:dashboard")), "工作台")

    def test_the_nav_links_the_ledger_import_and_export(self) -> None:
        self.login("clerk")
        response = self.client.get(reverse("cases:dashboard"))
        for label in ("台账", "登记申请", "导出台账", "导入台账"):
            self.assertContains(response, label)
