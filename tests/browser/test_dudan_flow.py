"""督办 and 整改 in Debian's chromium: the supervisor sends a 督办通知 from the overview and opens a
整改 task from a prefilled link (as the scorecard's “发起整改” does); the office's 经办人 finds both
on the 工作台 and answers them; the supervisor re-checks and closes the task."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from gongkai.test import PASSWORD, Personas
from tests.browser.test_flow import ARGS, CHROMIUM, SHOTS
from tests.web.base import freeze_today

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

TODAY = dt.date(2025, 3, 20)  # a Thursday in an ordinary week


@pytest.fixture
def page(live_server: object) -> Iterator[playwright_api.Page]:
    with freeze_today(TODAY), playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def log_in(page: playwright_api.Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    playwright_api.expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_notice_and_rectification(page: playwright_api.Page, live_server: object) -> None:
    expect = playwright_api.expect
    Personas.make_personas()
    # Received Mon 2025-02-17: due 3/17, overdue on 3/20 (counted in tests/supervision).
    overdue = Personas.register(received_on=dt.date(2025, 2, 17), today=TODAY, name="欧阳某某")
    base = str(live_server)

    # The supervisor: 监督保障 → 督办 → the office → 发督办通知.
    log_in(page, base, "supervisor")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="监督保障").click()
    page.get_by_role("link", name="逾期和即将到期的申请").click()
    expect(page.locator("table.dudan-rows")).to_contain_text(overdue.tracking_no)
    expect(page.locator("main")).not_to_contain_text("欧阳某某")
    page.get_by_role("link", name="宛城区人民政府办公室").click()
    page.get_by_role("button", name="发督办通知").click()
    page.get_by_label("标题").fill("关于逾期申请的督办通知")
    page.get_by_role("button", name="发出").click()
    expect(page.locator(".messages")).to_contain_text("已向宛城区人民政府办公室发出督办通知")
    expect(page.locator("h1 .badge")).to_have_text("待回复")

    # A 整改 task from a prefilled link, sent at once.
    query = urlencode(
        {
            "source_kind": "scorecard",
            "source_ref": "deduction:overdue_reply:2024",
            "source_url": "/supervision/",
            "organisation": "WCBGS",
            "title": "2024年逾期答复扣6分",
            "detail": "请查明逾期原因并完善到期提醒",
        }
    )
    page.goto(base + reverse("supervision:rectification_new", args=["WCQ"]) + "?" + query)
    expect(page.get_by_label("问题", exact=True)).to_have_value("2024年逾期答复扣6分")
    page.get_by_label("整改期限").fill("2025-03-31")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("h1 .badge").first).to_have_text("已交办")

    # The office's 经办人 finds both on the 工作台 and answers them.
    log_in(page, base, "clerk")
    page.locator("#dudan-notices").get_by_role("link", name="关于逾期申请的督办通知").click()
    page.get_by_label("办理情况").fill("已于3月20日答复申请人，并约谈承办科室")
    page.get_by_role("button", name="回复").click()
    expect(page.locator("h1 .badge")).to_have_text("已回复")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="工作台").click()
    expect(page.locator("#dudan-notices")).to_have_count(0)
    page.locator("#rectification-tasks").get_by_role("link", name="2024年逾期答复扣6分").click()
    page.get_by_label("整改情况（做了哪些整改）").fill("已建立到期前3个工作日提醒，逐件落实")
    page.get_by_role("button", name="反馈整改情况").click()
    expect(page.locator("h1 .badge").first).to_have_text("已反馈")

    # The supervisor re-checks and closes it.
    log_in(page, base, "supervisor")
    page.goto(base + reverse("supervision:rectification_list", args=["WCQ"]))
    page.get_by_role("link", name="2024年逾期答复扣6分").click()
    page.get_by_label("复核意见").fill("经复核，提醒机制已建立")
    page.get_by_role("button", name="复核通过，销号").click()
    expect(page.locator("h1 .badge").first).to_have_text("已销号")
    expect(page.locator(".rect-steps li")).to_have_count(4)
    page.screenshot(path=SHOTS.format("rectification"), full_page=True)
