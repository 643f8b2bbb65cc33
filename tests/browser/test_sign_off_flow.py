"""Review and sign-off in Debian's chromium (issue 14, "Done when"): the clerk drafts a 部分公开
reply with its specific reason; the reviewer finds it in 待审核 and returns it with an opinion; the
clerk finds it in 被退回修改 and revises; the reviewer approves; the letter is issued under its own
文号 with the reason in its text (read back from the .docx); the 呈批单 prints (.docx and PDF)."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator

import docx
import pytest

from gongkai.accounts.models import Organisation
from gongkai.domain.lifecycle import Action, Status
from gongkai.test import PASSWORD, Personas
from tests.browser.test_flow import ARGS, CHROMIUM, confirm, open_action
from tests.web.base import freeze_today

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

TODAY = dt.date(2025, 3, 20)
REASON = "申请公开的会议纪要中涉及第三方个人信息（姓名、联系电话），该部分不予公开。"
OPINION = "理由应写明不予公开的具体内容"


@pytest.fixture
def browser(live_server: object) -> Iterator[object]:
    with freeze_today(TODAY), playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def log_in(browser: object, base: str, username: str) -> playwright_api.Page:
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="zh-CN", viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    page: playwright_api.Page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    playwright_api.expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    return page


def propose(page: playwright_api.Page, reason: str) -> None:
    open_action(page, Action.PROPOSE_REPLY)
    page.locator("#id_propose_reply-outcome").select_option(label="部分公开")
    page.locator("#id_propose_reply-reasons").fill(reason)
    confirm(page, Action.PROPOSE_REPLY, Status.REVIEW)


def downloaded(page: playwright_api.Page, locator: playwright_api.Locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as file:
        return file.read()


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_draft_return_revise_approve_issue_and_print(browser: object, live_server: object) -> None:
    expect = playwright_api.expect
    Personas.make_personas()
    Organisation.objects.filter(pk=Personas.office.pk).update(letter_code="宛政办公开")
    case = Personas.register(received_on=TODAY - dt.timedelta(days=7), today=TODAY)
    base = str(live_server)

    clerk = log_in(browser, base, "clerk")
    clerk.goto(f"{base}/applications/{case.pk}/")
    propose(clerk, "涉及个人信息部分不予公开")

    reviewer = log_in(browser, base, "reviewer")
    expect(reviewer.locator("#review")).to_contain_text(case.tracking_no)
    reviewer.locator("#review").get_by_role("link", name=case.tracking_no).click()
    open_action(reviewer, Action.RETURN_REPLY)
    reviewer.get_by_label("退回意见").fill(OPINION)
    confirm(reviewer, Action.RETURN_REPLY, Status.PROCESSING)

    clerk.goto(base + "/")
    expect(clerk.locator("#returned")).to_contain_text(case.tracking_no)
    clerk.locator("#returned").get_by_role("link", name=case.tracking_no).click()
    expect(clerk.locator("#timeline")).to_contain_text(OPINION)
    propose(clerk, REASON)

    reviewer.goto(base + "/")
    reviewer.locator("#review").get_by_role("link", name=case.tracking_no).click()
    open_action(reviewer, Action.REPLY)
    confirm(reviewer, Action.REPLY, Status.REPLIED)
    expect(reviewer.locator("#timeline")).to_contain_text("宛政办公开〔2025〕1号")

    letter = docx_text(
        downloaded(reviewer, reviewer.locator('#letters button[data-letter="r_partial"]'))
    )
    assert "\n宛政办公开〔2025〕1号\n" in letter, letter
    assert REASON in letter, letter

    sheet = docx_text(downloaded(reviewer, reviewer.get_by_role("link", name="打印呈批单（Word）")))
    assert sheet.startswith("政府信息公开申请答复呈批单"), sheet
    assert OPINION in sheet and REASON in sheet, sheet
    assert sheet.count("拟办意见") == 2 and "审核意见（同意，签发）" in sheet, sheet
    pdf = downloaded(reviewer, reviewer.get_by_role("link", name="打印呈批单（PDF）"))
    assert pdf.startswith(b"%PDF")
