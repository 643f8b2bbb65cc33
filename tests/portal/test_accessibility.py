"""axe-core (pinned in the axe-playwright-python package, which bundles axe.min.js) injected
by Playwright into Debian chromium finds no serious or critical violation on any portal page of
this slice, in the normal, the 适老化 large-text and the 390 px layouts (GB/T 37668)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.portal.demo import load_guide_demo
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ProactiveItem
from gongkai.reports.services import report_publish
from tests.web.base import freeze_today

# Django refuses ORM calls from a thread running an event loop; Playwright's sync API runs one.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_api = pytest.importorskip("playwright.sync_api")
axe = pytest.importorskip("axe_playwright_python.base")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
TODAY = dt.date(2025, 3, 20)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

PAGES = [
    "/open/",
    "/open/WCBGS/",
    "/open/WCBGS/guide/",
    "/open/WCBGS/guide/v1/",
    "/open/WCBGS/policies/",
    "/open/WCCZJ/policies/",  # a blank column
    "/open/WCBGS/reports/",
    "/open/WCBGS/reports/2024/v1/",
    "/open/WCHLZ/reports/",  # a blank column
    "/open/WCQ/reports/",
    "/open/WCQ/reports/2024/",
    "/open/WCBGS/statistics/",
    "/open/WCHLZ/statistics/",
    "/open/WCBGS/catalogue/",
    "/open/WCBGS/catalogue/?q=%E8%A7%A3%E8%AF%BB",  # a search: 解读
    "/open/WCBGS/catalogue/documents/",
    "/open/WCHLZ/catalogue/",  # a blank column
    "/open/WCBGS/apply/",
    "/open/track/",
]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def portal(live_server: Any) -> Iterator[tuple[str, Any]]:
    load_demo(today=TODAY)
    load_register_demo()
    office = Organisation.objects.get(code="WCBGS")
    reviewer = User.objects.get(username="reviewer")
    report_publish(actor=reviewer, organisation=office, year=2024, acknowledged=True, today=TODAY)
    load_guide_demo()
    with freeze_today(TODAY), playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield live_server.url, browser
        browser.close()


def catalogue_item_pages() -> list[str]:
    """A policy item and its 解读 (the demo links 15 of them)."""
    explained = ProactiveItem.objects.filter(organisation__code="WCBGS").exclude(index_no="")
    interpretation = explained.filter(is_interpretation=True).first()
    assert interpretation is not None, "the demo catalogue has no 解读"
    pages = [f"/open/WCBGS/catalogue/{interpretation.index_no}/"]
    policy = explained.filter(is_interpretation=False).first()
    if policy is not None:
        pages.append(f"/open/WCBGS/catalogue/{policy.index_no}/")
    return pages


def violations(page: Any) -> list[str]:
    page.evaluate(axe.AXE_SCRIPT)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("width", [1366, 390])
def test_no_serious_or_critical_violation_on_any_page(portal: tuple[str, Any], width: int) -> None:
    url, browser = portal
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in [*PAGES, *catalogue_item_pages()]:
        response = page.goto(url + path)
        assert response is not None and response.status == 200, path
        found[path] = violations(page)
    page.goto(url + "/open/text-size/?size=large&next=/open/WCBGS/guide/")
    assert page.locator("body.large-text").count() == 1
    found["large text: /open/WCBGS/guide/"] = violations(page)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}


def test_the_pages_work_without_javascript(portal: tuple[str, Any]) -> None:
    url, browser = portal
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/open/WCBGS/")
    page.get_by_role("link", name="政府信息公开指南").click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "宛城区人民政府办公室政府信息公开指南"
    )
    page.get_by_role("link", name="大字版（适老化）").click()
    assert page.locator("body.large-text").count() == 1
    assert page.url.endswith("/open/WCBGS/guide/")
    context.close()
