"""The statistics page in Debian chromium: axe-core finds no serious or critical violation (the
charts are role="img" SVG with a title, a description and a data table), at 1366 and 390 px."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest

from gongkai.cases.demo import DEMO_PASSWORD, load_demo
from gongkai.reports.demo import load_register_demo
from tests.portal.test_accessibility import ARGS, CHROMIUM, SERIOUS, axe
from tests.web.base import freeze_today

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
playwright_api = pytest.importorskip("playwright.sync_api")

TODAY = dt.date(2025, 3, 20)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def violations(page: Any) -> list[str]:
    """Serious and critical violations in the page's main content (the workbench's header is
    the base template's, checked with the pages that own it)."""
    page.evaluate(axe.AXE_SCRIPT)
    result = page.evaluate("axe.run('main', {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.fixture
def site(live_server: Any) -> Iterator[tuple[str, Any]]:
    load_demo(today=TODAY)
    load_register_demo()
    with freeze_today(TODAY), playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield live_server.url, browser
        browser.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_statistics_pages_have_no_serious_violation(site: tuple[str, Any], width: int) -> None:
    url, browser = site
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url + "/accounts/login/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    found = {}
    for path in ("/supervision/", "/supervision/stats/WCBGS/?period=2024Q4",
                 "/supervision/stats/WCQ/?period=2024-12&rollup=1"):  # fmt: skip
        response = page.goto(url + path)
        assert response is not None and response.status == 200, path
        found[path] = violations(page)
    chart = page.get_by_role("img", name="2024年各月新收和办结申请")
    assert chart.count() == 1
    context.close()
    assert {path: v for path, v in found.items() if v} == {}
