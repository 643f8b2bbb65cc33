"""The 指南's public page (current version, its date, earlier versions, printable) and the
管理员's screen that edits and publishes it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from django.urls import reverse

from gongkai import portal
from gongkai.portal.models import GuideSettings, GuideVersion
from gongkai.portal.services import guide_publish, guide_save
from tests.portal.guides import COMPLETE
from tests.web.base import TODAY, WebTestCase


class GuidePublicPageTests(WebTestCase):
    def publish(self, phone: str, on: dt.date) -> GuideVersion:
        data = dataclasses.replace(COMPLETE, phone=phone)
        guide_save(actor=self.admin, organisation=self.office, data=data)  # type: ignore[attr-defined]
        return guide_publish(actor=self.admin, organisation=self.office, today=on)  # type: ignore[attr-defined]

    def test_before_any_publication_the_column_says_it_has_no_information(self) -> None:
        guide_save(actor=self.admin, organisation=self.office, data=COMPLETE)  # type: ignore[attr-defined]
        page = self.client.get(reverse("portal:guide", args=["WCBGS"])).content.decode()
        self.assertIn("本栏目暂无信息", page)
        self.assertNotIn("0377-00000000", page)  # saved is not published

    def test_the_page_shows_the_current_version_with_its_date_anonymously(self) -> None:
        self.publish("0377-00000000", dt.date(2025, 1, 6))
        self.publish("0377-22222222", dt.date(2025, 3, 3))
        response = self.client.get(reverse("portal:guide", args=["WCBGS"]))
        page = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("更新日期：2025年3月3日（第2版）", page)
        self.assertIn("0377-22222222", page)
        self.assertNotIn("0377-00000000", page)
        for text in ("宛城区人民政府办公室", "0377-00000001", "gongkai@example.gov.cn", "473000",
                     "邮寄（需签收）", "互联网渠道", "60日内申请行政复议", "国办函〔2020〕109号", "按主题、机构、体裁"):  # fmt: skip
            self.assertIn(text, page)
        self.assertIn(reverse("portal:guide_version", args=["WCBGS", 1]), page)

    def test_an_earlier_version_stays_readable_and_says_it_is_not_current(self) -> None:
        self.publish("0377-00000000", dt.date(2025, 1, 6))
        self.publish("0377-22222222", dt.date(2025, 3, 3))
        page = self.client.get(reverse("portal:guide_version", args=["WCBGS", 1])).content.decode()
        self.assertIn("更新日期：2025年1月6日（第1版）", page)
        self.assertIn("这是历史版本", page)
        self.assertIn("0377-00000000", page)
        self.assertEqual(
            self.client.get(reverse("portal:guide_version", args=["WCBGS", 9])).status_code, 404
        )

    def test_the_print_style_sheet_keeps_only_the_guide(self) -> None:
        css = (Path(portal.__file__).parent / "static" / "portal" / "portal.css").read_text("utf-8")
        self.assertIn("@media print", css)
        print_rules = css.split("@media print", 1)[1]
        self.assertIn("header.site", print_rules)
        self.assertIn(".versions", print_rules)


class GuideManageScreenTests(WebTestCase):
    URL = "/portal/WCBGS/guide/"

    def form(self, **changes: str) -> dict[str, object]:
        data: dict[str, object] = dataclasses.asdict(COMPLETE)
        data["channels"] = list(COMPLETE.channels)
        return data | changes

    def test_login_is_required_and_only_the_admin_may_edit(self) -> None:
        self.assertEqual(self.client.get(self.URL).status_code, 302)
        self.login("clerk")
        self.assertEqual(self.client.get(self.URL).status_code, 403)
        self.login("outsider")
        self.assertEqual(self.client.get(self.URL).status_code, 404)
        self.login("admin")
        response = self.client.get(self.URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn("发布前还须填写", response.content.decode())

    def test_the_screen_is_prefilled_from_the_organisations_contact_data(self) -> None:
        self.login("admin")
        page = self.client.get(self.URL).content.decode()
        self.assertIn('value="南阳市宛城区××路1号"', page)
        self.assertIn('value="0377-00000000"', page)

    def test_the_admin_saves_then_publishes(self) -> None:
        self.login("admin")
        response = self.client.post(self.URL, self.form(), follow=True)
        self.assertContains(response, "指南内容已保存（尚未发布）")
        self.assertEqual(
            GuideSettings.objects.get().channels, ["online", "in_person", "mail", "fax"]
        )
        response = self.client.post(self.URL + "publish/", follow=True)
        self.assertContains(response, "已发布指南第1版")
        version = GuideVersion.objects.get()
        self.assertEqual((version.published_on, version.published_by_name), (TODAY, "admin"))

    def test_publishing_an_incomplete_guide_shows_what_is_missing(self) -> None:
        self.login("admin")
        self.client.post(self.URL, self.form(fax="", procedure=""))
        response = self.client.post(self.URL + "publish/", follow=True)
        self.assertContains(
            response, "指南缺少以下必备内容，不能发布：传真号码、依申请公开的办理程序和时限"
        )
        self.assertFalse(GuideVersion.objects.exists())

    def test_a_bad_email_is_refused_with_a_message(self) -> None:
        self.login("admin")
        response = self.client.post(self.URL, self.form(email="nope"))
        self.assertContains(response, "电子邮箱格式不正确")
        self.assertFalse(GuideSettings.objects.exists())


class GuideMenuTests(WebTestCase):
    def test_the_menu_links_the_guide_for_an_admin_only(self) -> None:
        self.login("admin")
        self.assertIn('href="/portal/"', self.client.get("/").content.decode())
        self.assertRedirects(self.client.get("/portal/"), self.URL_OF_OFFICE)
        self.login("clerk")
        self.assertNotIn('href="/portal/"', self.client.get("/").content.decode())
        self.assertEqual(self.client.get("/portal/").status_code, 403)

    URL_OF_OFFICE = "/portal/WCBGS/guide/"


class GuidePublishButtonTests(WebTestCase):
    def test_the_button_shows_only_when_the_saved_guide_differs_from_the_current(self) -> None:
        self.login("admin")
        guide_save(actor=self.admin, organisation=self.office, data=COMPLETE)  # type: ignore[attr-defined]
        self.assertContains(self.client.get("/portal/WCBGS/guide/"), "发布指南</button>")
        guide_publish(actor=self.admin, organisation=self.office, today=TODAY)  # type: ignore[attr-defined]
        page = self.client.get("/portal/WCBGS/guide/")
        self.assertNotContains(page, "发布指南</button>")
        self.assertContains(page, "无需重新发布")
