"""审核批次 in Debian's chromium (issue 13, Done when): the supervisor uploads a zip of reports
from 监督保障, watches the progress bar move while the database queue's worker audits them, opens
the report with the deliberate arithmetic error and finds its cell marked with the rule beside it,
and downloads the summary (.xlsx, read back)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from gongkai.test import Personas

# The browser page of the 督办 walk: one fixture for every supervision walk.
from tests.browser.test_dudan_flow import log_in, page  # noqa: F401
from tests.browser.test_flow import CHROMIUM, SHOTS
from tests.supervision.test_audit_batches import CLEAN, TOWNSHIP, with_arithmetic_error

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def reports_zip(folder: Path) -> Path:
    path = folder / "2024年度年报.zip"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("宛城区人民政府办公室.txt", CLEAN)
        archive.writestr("宛城区人民政府办公室-有误.txt", with_arithmetic_error())
        archive.writestr("太平镇.txt", TOWNSHIP)
    path.write_bytes(out.getvalue())
    return path


def test_a_supervisor_audits_a_zip_of_reports(
    page: playwright_api.Page,  # noqa: F811 (the fixture imported above)
    live_server: object,
    tmp_path: Path,
    settings: object,
) -> None:
    expect = playwright_api.expect
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    Personas.make_personas()
    base = str(live_server)
    upload = reports_zip(tmp_path)

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        log_in(page, base, "supervisor")
        page.get_by_role("navigation", name="主菜单").get_by_role("link", name="监督保障").click()
        page.get_by_role("link", name="审核批次").click()
        expect(page.locator("h1")).to_have_text("审核批次")
        page.get_by_label("批次名称（可选）").fill("2024年度部门年报")
        page.get_by_label("报告文件或压缩包").set_input_files(upload)
        page.get_by_role("button", name="上传并审核").click()

        # Queued: the bar stands at 0 of 3 until the worker takes the job.
        expect(page.locator(".messages")).to_contain_text("已上传3个文件，正在审核")
        expect(page.locator("#audit-status")).to_have_text("排队中")
        expect(page.locator("#audit-count")).to_have_text("已审核 0 / 3 份（0%）")
        call_command("db_worker", batch=True, verbosity=0)
        # The page polls the progress and shows the results once the batch is done.
        expect(page.locator("#audit-status")).to_have_text("已完成")
        expect(page.locator("#audit-count")).to_have_text("已审核 3 / 3 份（100%）")
        expect(page.locator("#audit-bar")).to_have_attribute("value", "3")

    rows = page.locator("table.audit-files tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="错误", exact=True).click()  # most errors first
    # 太平镇's page is cut short (no part 四 to 六: five errors), then the wrong total (two).
    expect(rows.nth(0)).to_contain_text("太平镇.txt")
    expect(rows.nth(1)).to_contain_text("宛城区人民政府办公室-有误.txt")
    expect(rows.nth(1).locator("td").nth(5)).to_have_text("2")

    # The report: its table 三 with the wrong total marked, the rule beside it.
    rows.nth(1).get_by_role("link", name="宛城区人民政府办公室-有误.txt").click()
    cell = page.locator('td[data-key="t3.new.total"]')
    expect(cell).to_have_class("hit hit-error")
    expect(cell).to_contain_text("37")
    first_ref = cell.locator("sup a").first
    number = first_ref.inner_text()
    first_ref.click()
    finding = page.locator(f"li#f{number}")
    expect(finding).to_contain_text("T3-0")
    expect(finding).to_contain_text("错误")
    expect(finding.get_by_role("link", name="发起整改")).to_be_visible()
    page.screenshot(path=SHOTS.format("audit-report"), full_page=True)

    # The summary, downloaded and read back.
    page.get_by_role("link", name="2024年度部门年报", exact=False).click()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载汇总 XLSX").click()
    saved = tmp_path / "summary.xlsx"
    info.value.save_as(saved)
    sheet = load_workbook(saved)["汇总"]
    table = list(sheet.iter_rows(min_row=2, values_only=True))
    header, body = table[0], table[1:]
    found = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert set(found) == {"宛城区人民政府办公室.txt", "宛城区人民政府办公室-有误.txt", "太平镇.txt"}
    assert found["宛城区人民政府办公室-有误.txt"]["错误"] == 2
    assert found["宛城区人民政府办公室-有误.txt"]["本年新收申请"] == 37
    assert found["宛城区人民政府办公室.txt"]["错误"] == 0
    assert found["太平镇.txt"]["机关"] == "太平镇人民政府"
