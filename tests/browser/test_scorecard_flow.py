"""The scorecard in Debian's chromium (issue 12, Done when): the supervisor opens the 考核 from
监督保障, goes from an organisation's score to a deduction's evidence (the overdue application
itself), opens a 整改 task from that deduction; the office's 经办人 answers it from the 工作台; the
supervisor re-checks and closes it."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from gongkai.test import Personas

# The browser page of the 督办 walk (same day, same window): one fixture for both walks.
from tests.browser.test_dudan_flow import log_in, page  # noqa: F401
from tests.browser.test_flow import CHROMIUM, SHOTS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

TODAY = dt.date(2025, 3, 20)  # the day test_dudan_flow's `page` fixture freezes


def test_from_the_scorecard_to_the_evidence_and_a_closed_rectification(
    page: playwright_api.Page,  # noqa: F811 (the fixture imported above)
    live_server: object,
) -> None:
    expect = playwright_api.expect
    Personas.make_personas()
    # Received Mon 2025-02-17: due 2025-03-17, unanswered on 3-20: an overdue reply of 2025.
    overdue = Personas.register(received_on=dt.date(2025, 2, 17), today=TODAY)
    base = str(live_server)

    # The supervisor: 监督保障 → 考核 → 2025 → the office → its deduction's evidence.
    log_in(page, base, "supervisor")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="监督保障").click()
    page.get_by_role("link", name="宛城区人民政府考核得分").click()
    page.get_by_role("link", name="2025", exact=True).click()
    expect(page.locator("h1")).to_contain_text("2025年度政务公开考核")
    page.locator("table.scorecard").get_by_role("link", name="宛城区人民政府办公室").click()
    deduction = page.locator("section#overdue_reply")
    expect(deduction).to_contain_text("答复超过法定期限")
    expect(deduction).to_contain_text("−6分")
    deduction.get_by_role("link", name=overdue.tracking_no, exact=False).click()
    expect(page.locator("h1")).to_contain_text(overdue.tracking_no)  # the application itself
    page.go_back()

    # 发起整改 from the deduction: the form comes prefilled, the task goes to the office at once.
    page.locator("section#overdue_reply").get_by_role("link", name="发起整改").click()
    expect(page.get_by_label("问题", exact=True)).to_have_value(
        "2025年度考核：答复超过法定期限（扣6分）"
    )
    page.get_by_label("整改期限").fill("2025-04-30")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("h1 .badge").first).to_have_text("已交办")

    # The office's 经办人 answers it from the 工作台.
    log_in(page, base, "clerk")
    page.locator("#rectification-tasks").get_by_role(
        "link", name="2025年度考核：答复超过法定期限（扣6分）"
    ).click()
    page.get_by_label("整改情况（做了哪些整改）").fill("已答复申请人，并建立到期前提醒")
    page.get_by_role("button", name="反馈整改情况").click()
    expect(page.locator("h1 .badge").first).to_have_text("已反馈")

    # The supervisor re-checks and closes it.
    log_in(page, base, "supervisor")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="监督保障").click()
    page.get_by_role("link", name="整改任务", exact=False).first.click()
    page.get_by_role("link", name="2025年度考核：答复超过法定期限（扣6分）").click()
    page.get_by_label("复核意见").fill("经复核，已整改到位")
    page.get_by_role("button", name="复核通过，销号").click()
    expect(page.locator("h1 .badge").first).to_have_text("已销号")
    page.screenshot(path=SHOTS.format("scorecard-rectification"), full_page=True)
