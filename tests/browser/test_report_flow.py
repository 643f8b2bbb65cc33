"""The annual report as a new reviewer meets it in Debian's chromium, on the demo data: the 2024
report opens with the Wancheng tables, a number clicks through to its cases, the narrative is
edited, the report publishes as a frozen version whose PDF downloads.

Screenshots go to /tmp for a human look.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.cases.demo import DEMO_PASSWORD, load_demo
from gongkai.domain.report.parsers import parse_report
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ReportVersion
from tests.browser.test_flow import ARGS, CHROMIUM
from tests.web.base import freeze_today

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
TODAY = dt.date(2026, 11, 26)
TRUTH = (
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "wancheng-office-2024.truth.json"
)
SHOTS = "/tmp/gongkai-report-{}.png"


@pytest.fixture
def page(live_server: object, settings: object, tmp_path: Path) -> Iterator[playwright_api.Page]:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    with freeze_today(TODAY), playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        context.close()
        browser.close()


def test_the_2024_report_from_records_to_publication(
    page: playwright_api.Page, live_server: object, tmp_path: Path
) -> None:
    load_demo(today=TODAY)
    load_register_demo()
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(base + "/")
    page.get_by_label("用户名").fill("reviewer")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    # The dashboard warns about the unpublished 2025 report; the menu leads to the reports.
    assert "2025年度报告" in page.locator("#reports-due").inner_text()
    page.get_by_role("link", name="年度报告").first.click()
    page.get_by_role("link", name="2024").click()
    page.get_by_role("link", name="宛城区人民政府办公室").click()
    page.screenshot(path=SHOTS.format("report"), full_page=True)

    # Table 三 as in the Wancheng report: 新收 总计 36, (一)予以公开 自然人 20.
    truth = json.loads(TRUTH.read_text("utf-8"))["tables"]["t3"]
    total = page.locator('td[data-key="t3.new.total"]').inner_text()
    assert int(total) == truth["new"][6]
    page.locator('td[data-key="t3.r_open.natural"] a').click()
    assert page.locator("h1").inner_text().endswith(f"：{truth['r_open'][0]}")
    assert page.locator("table.cases tbody tr").count() == truth["r_open"][0]
    page.locator("table.cases tbody tr a").first.click()
    assert "WCBGS-2024-" in page.locator("h1").inner_text()
    page.go_back()
    page.go_back()

    # Edit 六, then publish after acknowledging the lateness warning.
    page.get_by_role("link", name="编写正文（一、五、六）").click()
    page.get_by_label("六、其他需要报告的事项").fill("2024年度，未收取政府信息公开信息处理费。")
    page.get_by_role("button", name="保存").click()
    assert "正文已保存" in page.locator(".messages").inner_text()
    assert "P-01" in page.locator("#check").inner_text()
    page.get_by_label("我已阅读以上警告，确认发布").check()
    page.get_by_role("button", name="发布", exact=True).click()
    assert "已发布第1版" in page.locator(".messages").inner_text()
    page.screenshot(path=SHOTS.format("published"), full_page=True)

    with page.expect_download() as download:
        page.locator("#versions").get_by_role("link", name="PDF").click()
    pdf = tmp_path / "v1.pdf"
    download.value.save_as(pdf)
    report = parse_report(pdf.read_bytes(), "v1.pdf").report
    assert [c.value for c in report.t3["new"]] == truth["new"]
    assert ReportVersion.objects.get().number == 1
