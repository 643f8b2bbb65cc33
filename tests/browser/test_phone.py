"""The workbench on a phone (390 × 844, issue 14 part 7): every menu entry on the screen, none
scrolled out of sight, and on an application's page its deadlines and actions before the
timeline, not at the bottom of the page."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from gongkai.test import PASSWORD, Personas
from tests.browser.test_flow import ARGS, CHROMIUM, TODAY, playwright_api
from tests.web.base import freeze_today

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(live_server: object) -> Iterator[playwright_api.Page]:
    with freeze_today(TODAY), playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def test_the_menu_and_the_case_actions_are_in_reach(
    phone: playwright_api.Page, live_server: object
) -> None:
    Personas.make_personas()
    case = Personas.register(received_on=TODAY, today=TODAY)
    base = str(live_server)
    phone.goto(base + "/")
    phone.get_by_label("用户名").fill("admin")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    links = phone.locator("nav.mainnav a")
    assert links.count() >= 6
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], links.nth(
            i
        ).text_content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.goto(f"{base}/applications/{case.pk}/")
    actions = phone.locator("#actions").bounding_box()
    timeline = phone.locator("#timeline").bounding_box()
    assert actions is not None and timeline is not None
    assert actions["y"] < timeline["y"]
