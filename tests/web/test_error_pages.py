from django.template.loader import render_to_string
from django.test import SimpleTestCase


class ErrorPageTests(SimpleTestCase):
    def test_the_500_page_renders_without_a_request(self) -> None:
        html = render_to_string("500.html")
        self.assertIn("系统出现错误", html)

    def test_the_403_page_shows_the_reason_when_there_is_one(self) -> None:
        self.assertIn(
            "您没有登记申请的权限",
            render_to_string("403.html", {"exception": "您没有登记申请的权限"}),
        )
        self.assertIn("请联系本机关的系统管理员", render_to_string("403.html", {"exception": ""}))
