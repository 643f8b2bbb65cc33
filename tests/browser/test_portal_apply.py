"""The online application end to end in Debian's chromium: a citizen applies on the 专栏 and
reads 申请编号 and 查询码 from the receipt; the clerk logs in, signs for it (签收) and replies in
the workbench; the citizen looks the status up and downloads the reply letter. Another citizen
answers a 补正 online."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from gongkai.accounts.models import Membership
from gongkai.cases.models import Application
from gongkai.cases.services import application_confirm_receipt, application_request_correction
from gongkai.domain.lifecycle import Action, Role, Status
from gongkai.test import PASSWORD, VALID_ID, Personas
from tests.browser import test_flow
from tests.browser.test_flow import TODAY, confirm, open_action, playwright_api
from tests.portal.test_accessibility import violations

page = test_flow.page  # the Playwright page fixture, with today frozen at TODAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def apply_online(page: playwright_api.Page, base: str, name: str) -> tuple[str, str]:
    page.goto(f"{base}/open/WCBGS/apply/")
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill(name)
    page.get_by_label("证件号码").fill(VALID_ID)
    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(
        "请公开2024年宛城区老旧小区改造项目的批复文件"
    )
    page.get_by_label("我已阅读上方的个人信息处理说明").check()
    page.get_by_role("button", name="提交申请").click()
    text = page.locator(".receipt").inner_text()
    number = re.search(r"申请编号：(\S+)", text)
    code = re.search(r"查询码：(\S+)", text)
    assert number and code, text
    return number.group(1), code.group(1)


def assert_accessible(page: playwright_api.Page, what: str) -> None:
    """axe-core (tests/portal/test_accessibility.py) on the pages only a submission reaches."""
    assert violations(page) == [], what


def look_up(page: playwright_api.Page, base: str, number: str, code: str) -> None:
    page.goto(f"{base}/open/track/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()


def test_apply_online_sign_reply_and_download(
    page: playwright_api.Page, live_server: object
) -> None:
    expect = playwright_api.expect
    Personas.make_personas()
    user = get_user_model().objects.create_user("wang", password=PASSWORD)
    for role in (Role.CLERK, Role.REVIEWER):
        Membership.objects.create(user=user, organisation=Personas.office, role=role)
    base = str(live_server)

    number, code = apply_online(page, base, "陈六")
    assert number.startswith("WCBGS-")

    # The clerk: the dashboard lists it awaiting 签收; sign for it, reply, generate the letter.
    page.goto(base + "/")
    page.get_by_label("用户名").fill("wang")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#submitted")).to_contain_text(number)
    expect(page.locator("#submitted")).to_contain_text("已等待0天")
    page.locator("#submitted").get_by_role("link", name=number).click()
    open_action(page, Action.CONFIRM_RECEIPT)
    confirm(page, Action.CONFIRM_RECEIPT, Status.REGISTERED)
    open_action(page, Action.REPLY)
    page.locator("#id_reply-outcome").select_option(label="予以公开")
    confirm(page, Action.REPLY, Status.REPLIED)
    with page.expect_download():
        page.locator("#letters button").first.click()
    page.context.clear_cookies()

    # The citizen looks it up and downloads the reply letter.
    look_up(page, base, number, code)
    expect(page.locator("dl.facts")).to_contain_text("已答复")
    expect(page.locator("dl.facts")).to_contain_text("2025年3月20日")
    expect(page.locator("main")).not_to_contain_text("wang")
    with page.expect_download() as info:
        page.locator("main ul a").first.click()
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as letter:
        assert letter.read(4) == b"PK\x03\x04"


def test_a_correction_submitted_online(page: playwright_api.Page, live_server: object) -> None:
    expect = playwright_api.expect
    Personas.make_personas()
    base = str(live_server)
    page.goto(f"{base}/open/WCBGS/apply/")
    page.get_by_role("button", name="提交申请").click()  # nothing filled in: errors on the fields
    assert_accessible(page, "the form with its errors")
    number, code = apply_online(page, base, "周七")
    assert_accessible(page, "the receipt")
    application = Application.objects.get(tracking_no=number)
    clerk = Personas.clerk  # type: ignore[attr-defined]
    application_confirm_receipt(actor=clerk, application=application, on=TODAY, today=TODAY)
    application_request_correction(
        actor=clerk, application=application, on=TODAY, items="请写明文件的文号", today=TODAY
    )
    look_up(page, base, number, code)
    expect(page.locator("main")).to_contain_text("请写明文件的文号")
    assert_accessible(page, "the status with the correction form")
    page.get_by_label("补正内容").fill("文号为宛政〔2024〕12号")
    page.get_by_role("button", name="提交补正").click()
    expect(page.locator("dl.facts")).to_contain_text("正在办理")
    assert_accessible(page, "the status after the correction")
    look_up(page, base, number, "WRONGCODE")
    assert_accessible(page, "a failed lookup")
    application.refresh_from_db()
    assert application.status == Status.PROCESSING


def tab_to(page: playwright_api.Page, name: str) -> None:
    """Press Tab until the field `name` has the focus (it must be reachable, in order)."""
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
    raise AssertionError(f"{name} is not reachable with Tab")


def test_the_form_with_the_keyboard_only(page: playwright_api.Page, live_server: object) -> None:
    expect = playwright_api.expect
    Personas.make_personas()
    page.goto(f"{live_server}/open/WCBGS/apply/")
    tab_to(page, "applicant_type")
    page.keyboard.press("Space")
    for name, text in [
        ("name", "吴八"),
        ("id_number", "１１０１０５１９４９１２３１００２ｘ"),  # full-width, as typed
        ("phone", "13800000000"),
        ("content", "请公开2024年宛城区道路维修项目的验收文件"),
    ]:
        tab_to(page, name)
        page.keyboard.type(text)
    tab_to(page, "consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "提交申请", focused  # the honeypot is out of the tab order
    page.keyboard.press("Enter")
    expect(page.locator(".receipt")).to_contain_text("申请编号：WCBGS-")
    assert Application.objects.get().id_number == VALID_ID
