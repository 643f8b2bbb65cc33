"""台账 jobs in Debian's chromium (issue 15, part 5): a reviewer uploads a ledger large enough for a
job, confirms the columns, watches the job page wait for the database queue's worker and then show
the rows imported and the row refused; then exports the ledger as .xlsx through a job and
downloads it from the job page (read back)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from gongkai.cases.models import Application
from gongkai.test import Personas
from tests.browser.test_dudan_flow import log_in, page  # noqa: F401
from tests.ledger.workbooks import row, xlsx

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_api = pytest.importorskip("playwright.sync_api")
from tests.browser.test_flow import CHROMIUM  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def test_a_large_ledger_is_imported_and_exported_by_jobs(
    page: playwright_api.Page,  # noqa: F811 (the fixture imported above)
    live_server: object,
    tmp_path: Path,
    settings: object,
) -> None:
    expect = playwright_api.expect
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    settings.LEDGER_IMPORT_JOB_BYTES = 0  # type: ignore[attr-defined]
    settings.LEDGER_EXPORT_JOB_ROWS = 1  # type: ignore[attr-defined]
    Personas.make_personas()
    base = str(live_server)
    ledger = tmp_path / "2025年台账.xlsx"
    ledger.write_bytes(
        xlsx(
            [
                row(1, name="甲", received=dt.date(2025, 3, 5)),
                row(2, name="乙", channel="飞鸽传书"),
                row(3, name="丙", received=dt.date(2025, 3, 4)),
            ]
        )
    )

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        log_in(page, base, "reviewer")
        page.get_by_role("navigation", name="主菜单").get_by_role("link", name="导入台账").click()
        page.get_by_label("台账文件（.xlsx）").set_input_files(ledger)
        page.get_by_role("button", name="上传并核对").click()
        expect(page.get_by_role("heading", name="后台导入")).to_be_visible()
        page.get_by_role("button", name="检查并仅导入有效行").click()

        expect(page.locator("#job-status")).to_have_text("排队中")
        call_command("db_worker", batch=True, verbosity=0)
        # The page polls the progress and shows the result once the job is done.
        expect(page.locator("#job-status")).to_have_text("已完成")
        expect(page.get_by_role("status")).to_have_text("已导入2行，未导入有问题的1行")
        expect(page.locator("table.ledger-report")).to_contain_text("不能识别的申请方式“飞鸽传书”")
        assert Application.objects.count() == 2

        page.get_by_role("navigation", name="主菜单").get_by_role("link", name="导出台账").click()
        expect(page.locator("h1")).to_contain_text("台账导出")
        call_command("db_worker", batch=True, verbosity=0)
        link = page.get_by_role("link", name="下载 ")
        expect(link).to_be_visible()
        with page.expect_download() as caught:
            link.click()
        data = Path(caught.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    names = [r[2] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["丙", "甲"]
